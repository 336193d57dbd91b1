'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'ping'
