'sacctmgr' 'show' 'user' 'alice' 'format=defaultaccount' '-n' '-P'
