'scontrol' 'write' 'batch_script' '76' '-'
