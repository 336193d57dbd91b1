'scontrol' '-a' 'show' '-o' 'reservations'
