'sacctmgr' 'show' 'user' 'name=nobody' 'format=defaultaccount' '-n' '-P'
