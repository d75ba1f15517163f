a := "bad \q escape"
b := '\z'
c := ''
d := 'unterminated
