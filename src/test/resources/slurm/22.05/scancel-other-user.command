'scancel' '--verbose' '76'
