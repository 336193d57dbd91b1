'sacctmgr' 'show' 'user' 'name=alice' 'format=defaultaccount' '-n' '-P'
