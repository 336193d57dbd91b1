'id' 'nosuchuser'
