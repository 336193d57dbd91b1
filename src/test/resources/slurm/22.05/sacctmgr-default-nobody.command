'sacctmgr' 'show' 'user' 'nobody' 'format=defaultaccount' '-n' '-P'
