// Package matchre is g2n's: the regular expressions of the testing
// package's -test.run and -test.bench patterns (Go's testing uses regexp,
// which g2n does not compile yet). RE2's syntax as such patterns use it:
// literals and escapes, `.`, classes with ranges, negation and \d \w \s,
// groups, `|`, `* + ? {n,m}` greedy or lazy, `^ $`; matched by backtracking
// over the runes of a name.
package matchre

import "fmt"

const (
	reLiteral = iota
	reAnyChar
	reClass
	reBegin
	reEnd
	reConcat
	reAlternate
	reRepeat
)

type reNode struct {
	kind   int
	r      rune
	ranges []rune // pairs lo, hi
	negate bool
	subs   []*reNode
	min    int
	max    int // -1: unbounded
	lazy   bool
}

type reParser struct {
	s   []rune
	pos int
	err string
}

// Compile parses a pattern; the error is "" when it is valid.
func Compile(pattern string) (*Regexp, string) {
	p := &reParser{s: []rune(pattern)}
	re := p.alternation()
	if p.err == "" && p.pos < len(p.s) {
		p.err = "unexpected ): `" + pattern + "`"
	}
	if p.err != "" {
		return nil, "error parsing regexp: " + p.err
	}
	return &Regexp{re}, ""
}

// Regexp is a compiled pattern.
type Regexp struct {
	root *reNode
}

// MatchString reports whether the pattern matches anywhere in s.
func (re *Regexp) MatchString(s string) bool {
	return re.root.search(s)
}

func (p *reParser) more() bool {
	return p.pos < len(p.s)
}

func (p *reParser) alternation() *reNode {
	first := p.concatenation()
	if !p.more() || p.s[p.pos] != '|' {
		return first
	}
	alt := &reNode{kind: reAlternate, subs: []*reNode{first}}
	for p.more() && p.s[p.pos] == '|' {
		p.pos++
		alt.subs = append(alt.subs, p.concatenation())
	}
	return alt
}

func (p *reParser) concatenation() *reNode {
	cat := &reNode{kind: reConcat}
	for p.more() && p.err == "" && p.s[p.pos] != '|' && p.s[p.pos] != ')' {
		atom := p.atom()
		if atom == nil {
			break
		}
		cat.subs = append(cat.subs, p.quantified(atom))
	}
	return cat
}

func (p *reParser) quantified(atom *reNode) *reNode {
	for p.more() && p.err == "" {
		min, max := 0, 0
		switch p.s[p.pos] {
		case '*':
			min, max = 0, -1
		case '+':
			min, max = 1, -1
		case '?':
			min, max = 0, 1
		case '{':
			save := p.pos
			lo, hi, ok := p.braces()
			if !ok {
				p.pos = save
				return atom
			}
			min, max = lo, hi
			p.pos--
		default:
			return atom
		}
		p.pos++
		if atom.kind == reRepeat {
			p.err = "invalid nested repetition operator"
			return atom
		}
		lazy := false
		if p.more() && p.s[p.pos] == '?' {
			lazy = true
			p.pos++
		}
		atom = &reNode{kind: reRepeat, subs: []*reNode{atom}, min: min, max: max, lazy: lazy}
	}
	return atom
}

// braces parses {n}, {n,} or {n,m}, leaving pos after the '}'.
func (p *reParser) braces() (int, int, bool) {
	p.pos++
	number := func() (int, bool) {
		start, n := p.pos, 0
		for p.more() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			n = n*10 + int(p.s[p.pos]-'0')
			p.pos++
		}
		return n, p.pos > start
	}
	lo, ok := number()
	if !ok {
		return 0, 0, false
	}
	hi := lo
	if p.more() && p.s[p.pos] == ',' {
		p.pos++
		if n, ok := number(); ok {
			hi = n
		} else {
			hi = -1
		}
	}
	if !p.more() || p.s[p.pos] != '}' {
		return 0, 0, false
	}
	p.pos++
	return lo, hi, true
}

func (p *reParser) atom() *reNode {
	c := p.s[p.pos]
	p.pos++
	switch c {
	case '(':
		if p.pos+1 < len(p.s) && p.s[p.pos] == '?' && p.s[p.pos+1] == ':' {
			p.pos += 2
		}
		inner := p.alternation()
		if !p.more() || p.s[p.pos] != ')' {
			p.err = "missing closing )"
			return nil
		}
		p.pos++
		return inner
	case '[':
		return p.class()
	case '.':
		return &reNode{kind: reAnyChar}
	case '^':
		return &reNode{kind: reBegin}
	case '$':
		return &reNode{kind: reEnd}
	case '*', '+', '?':
		p.err = "missing argument to repetition operator"
		return nil
	case '\\':
		return p.escape()
	}
	return &reNode{kind: reLiteral, r: c}
}

// escape parses what follows a backslash: a class (\d \w \s and their
// negations) or an escaped character.
func (p *reParser) escape() *reNode {
	if !p.more() {
		p.err = "trailing backslash at end of expression"
		return nil
	}
	c := p.s[p.pos]
	p.pos++
	if class := perlClass(c); class != nil {
		return class
	}
	switch c {
	case 'n':
		return &reNode{kind: reLiteral, r: '\n'}
	case 't':
		return &reNode{kind: reLiteral, r: '\t'}
	case 'r':
		return &reNode{kind: reLiteral, r: '\r'}
	case 'f':
		return &reNode{kind: reLiteral, r: '\f'}
	}
	if c < 0x80 && !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return &reNode{kind: reLiteral, r: c}
	}
	p.err = fmt.Sprintf("invalid escape sequence: `\\%c`", c)
	return nil
}

func perlClass(c rune) *reNode {
	switch c {
	case 'd', 'D':
		return &reNode{kind: reClass, ranges: []rune{'0', '9'}, negate: c == 'D'}
	case 'w', 'W':
		return &reNode{kind: reClass, ranges: []rune{'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, negate: c == 'W'}
	case 's', 'S':
		return &reNode{kind: reClass, ranges: []rune{'\t', '\n', '\f', '\r', ' ', ' '}, negate: c == 'S'}
	}
	return nil
}

func (p *reParser) class() *reNode {
	node := &reNode{kind: reClass}
	if p.more() && p.s[p.pos] == '^' {
		node.negate = true
		p.pos++
	}
	first := true
	for {
		if !p.more() {
			p.err = "missing closing ]"
			return nil
		}
		c := p.s[p.pos]
		if c == ']' && !first {
			p.pos++
			return node
		}
		first = false
		if c == '[' && p.pos+1 < len(p.s) && p.s[p.pos+1] == ':' {
			if ranges, ok := p.posixClass(); ok {
				node.ranges = append(node.ranges, ranges...)
				continue
			}
		}
		p.pos++
		if c == '\\' {
			if !p.more() {
				p.err = "missing closing ]"
				return nil
			}
			c = p.s[p.pos]
			p.pos++
			if class := perlClass(c); class != nil && !class.negate {
				node.ranges = append(node.ranges, class.ranges...)
				continue
			}
		}
		lo, hi := c, c
		if p.pos+1 < len(p.s) && p.s[p.pos] == '-' && p.s[p.pos+1] != ']' {
			hi = p.s[p.pos+1]
			p.pos += 2
			if hi < lo {
				p.err = "invalid character class range"
				return nil
			}
		}
		node.ranges = append(node.ranges, lo, hi)
	}
}

// posixClass parses `[:name:]` at pos (RE2's ASCII classes, `[:^name:]`
// negated) into ranges; false, with pos unchanged, when it is not one.
func (p *reParser) posixClass() ([]rune, bool) {
	end := -1
	for i := p.pos + 2; i+1 < len(p.s); i++ {
		if p.s[i] == ':' && p.s[i+1] == ']' {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, false
	}
	name := string(p.s[p.pos+2 : end])
	negate := false
	if len(name) > 0 && name[0] == '^' {
		negate, name = true, name[1:]
	}
	var ranges []rune
	switch name {
	case "alnum":
		ranges = []rune{'0', '9', 'A', 'Z', 'a', 'z'}
	case "alpha":
		ranges = []rune{'A', 'Z', 'a', 'z'}
	case "ascii":
		ranges = []rune{0, 0x7f}
	case "blank":
		ranges = []rune{'\t', '\t', ' ', ' '}
	case "cntrl":
		ranges = []rune{0, 0x1f, 0x7f, 0x7f}
	case "digit":
		ranges = []rune{'0', '9'}
	case "graph":
		ranges = []rune{'!', '~'}
	case "lower":
		ranges = []rune{'a', 'z'}
	case "print":
		ranges = []rune{' ', '~'}
	case "punct":
		ranges = []rune{'!', '/', ':', '@', '[', '`', '{', '~'}
	case "space":
		ranges = []rune{'\t', '\r', ' ', ' '}
	case "upper":
		ranges = []rune{'A', 'Z'}
	case "word":
		ranges = []rune{'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}
	case "xdigit":
		ranges = []rune{'0', '9', 'A', 'F', 'a', 'f'}
	default:
		p.err = "invalid character class range: `[:" + string(p.s[p.pos+2:end]) + ":]`"
		return nil, false
	}
	p.pos = end + 2
	if negate {
		ranges = complement(ranges)
	}
	return ranges, true
}

// complement gives the ranges of the runes not in sorted, disjoint ranges.
func complement(ranges []rune) []rune {
	var out []rune
	next := rune(0)
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] > next {
			out = append(out, next, ranges[i]-1)
		}
		next = ranges[i+1] + 1
	}
	return append(out, next, 0x10ffff)
}

// search reports whether the regexp matches anywhere in s.
func (re *reNode) search(s string) bool {
	text := []rune(s)
	for start := 0; start <= len(text); start++ {
		if re.match(text, start, func(int) bool { return true }) {
			return true
		}
	}
	return false
}

// match reports whether re matches text at i with the rest of the pattern
// (k) matching after it.
func (re *reNode) match(text []rune, i int, k func(int) bool) bool {
	switch re.kind {
	case reLiteral:
		return i < len(text) && text[i] == re.r && k(i+1)
	case reAnyChar:
		return i < len(text) && text[i] != '\n' && k(i+1)
	case reClass:
		if i >= len(text) {
			return false
		}
		in := false
		for j := 0; j+1 < len(re.ranges); j += 2 {
			if re.ranges[j] <= text[i] && text[i] <= re.ranges[j+1] {
				in = true
				break
			}
		}
		return in != re.negate && k(i+1)
	case reBegin:
		return i == 0 && k(i)
	case reEnd:
		return i == len(text) && k(i)
	case reConcat:
		return matchSequence(re.subs, text, i, k)
	case reAlternate:
		for _, sub := range re.subs {
			if sub.match(text, i, k) {
				return true
			}
		}
		return false
	case reRepeat:
		return re.repeat(text, i, 0, k)
	}
	return false
}

func matchSequence(subs []*reNode, text []rune, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return subs[0].match(text, i, func(j int) bool {
		return matchSequence(subs[1:], text, j, k)
	})
}

func (re *reNode) repeat(text []rune, i int, count int, k func(int) bool) bool {
	again := func() bool {
		if re.max >= 0 && count >= re.max {
			return false
		}
		return re.subs[0].match(text, i, func(j int) bool {
			// An empty iteration past the minimum cannot make progress.
			if j == i && count >= re.min {
				return false
			}
			return re.repeat(text, j, count+1, k)
		})
	}
	done := func() bool {
		return count >= re.min && k(i)
	}
	if re.lazy {
		return done() || again()
	}
	return again() || done()
}
