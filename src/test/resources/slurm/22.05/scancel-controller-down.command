'scancel' '--verbose' '999999'
