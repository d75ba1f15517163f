// Library package-level variables are checked and initialized only when
// something uses them (docs/stdlib.md): tables reached from the program's
// own variables, through maps of tables, through other library variables
// (unicode.TurkishCase is _TurkishCase), and error variables compared
// with what library code returns.
package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var han = unicode.Han

var tables = []*unicode.RangeTable{unicode.Latin, unicode.Greek}

func main() {
	fmt.Println(unicode.Is(han, '中'), unicode.IsOneOf(tables, 'λ'), unicode.In('x', unicode.Cyrillic))
	_, err := strconv.Atoi("99999999999999999999")
	fmt.Println(errors.Is(err, strconv.ErrRange), err)
	_, err = strings.NewReader("").ReadByte()
	fmt.Println(err == io.EOF, err)
	fmt.Println(utf8.RuneError, unicode.MaxRune, string(unicode.ReplacementChar))
	fmt.Println(unicode.SimpleFold('k'), unicode.ToUpper('ß'), string(unicode.TurkishCase.ToUpper('i')))
	for _, name := range []string{"Greek", "Han", "Klingon"} {
		fmt.Println(name, unicode.Scripts[name] != nil, unicode.Categories["Lu"] == unicode.Upper)
	}
	fmt.Println(strconv.Quote("tab\there"), strconv.IsPrint('\u00ad'))
}
