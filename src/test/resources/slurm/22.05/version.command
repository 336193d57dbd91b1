'sinfo' '--version'
