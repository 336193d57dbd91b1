'sacctmgr' 'show' 'assoc' 'user=alice' 'format=account' '-n' '-P'
