'sacctmgr' 'show' 'assoc' 'user=nobody' 'format=account' '-n' '-P'
