'scancel' '--verbose' '82'
