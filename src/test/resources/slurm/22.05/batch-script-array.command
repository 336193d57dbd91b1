'scontrol' 'write' 'batch_script' '79' '-'
