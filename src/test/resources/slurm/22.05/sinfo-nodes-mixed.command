'sinfo' '-a' '-N' '--noheader' '--format=%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'
