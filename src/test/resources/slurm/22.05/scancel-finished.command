'scancel' '--verbose' '81'
