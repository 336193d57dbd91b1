'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'reservations'
