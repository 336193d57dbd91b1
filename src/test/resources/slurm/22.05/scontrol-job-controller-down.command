'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'show' '-o' 'job' '999999'
