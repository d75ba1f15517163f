// encoding/xml compiled from Go's source on g2n's reflect: struct tags
// (attr, chardata, innerxml, comment, cdata, omitempty, "-", a>b paths,
// XMLName), Marshal, MarshalIndent and Unmarshal, the Encoder's and the
// Decoder's tokens, custom MarshalXML/UnmarshalXML, MarshalXMLAttr and
// TextMarshaler (time.Time), and Go's errors for bad input and bad types.
package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

type Address struct {
	City  string `xml:"city"`
	State string `xml:"state,omitempty"`
}

type Person struct {
	XMLName  xml.Name `xml:"person"`
	ID       int      `xml:"id,attr"`
	Lang     string   `xml:"lang,attr,omitempty"`
	First    string   `xml:"name>first"`
	Last     string   `xml:"name>last"`
	Age      int      `xml:"age"`
	Height   float32  `xml:"height,omitempty"`
	Married  bool
	Emails   []string `xml:"email"`
	Address  `xml:"address"`
	Comment  string    `xml:",comment"`
	Secret   string    `xml:"-"`
	Nick     *string   `xml:"nick"`
	Born     time.Time `xml:"born"`
	internal int
}

type Note struct {
	XMLName xml.Name `xml:"note"`
	Kind    string   `xml:"kind,attr"`
	Text    string   `xml:",chardata"`
}

type Raw struct {
	XMLName xml.Name `xml:"raw"`
	Inner   string   `xml:",innerxml"`
}

type Script struct {
	XMLName xml.Name `xml:"script"`
	Code    string   `xml:",cdata"`
}

// Celsius marshals itself as an element with a unit attribute.
type Celsius float64

func (c Celsius) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "unit"}, Value: "C"})
	return e.EncodeElement(fmt.Sprintf("%.1f", float64(c)), start)
}

func (c *Celsius) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	var f float64
	if _, err := fmt.Sscanf(s, "%g", &f); err != nil {
		return err
	}
	for _, a := range start.Attr {
		if a.Name.Local == "unit" && a.Value == "F" {
			f = (f - 32) * 5 / 9
		}
	}
	*c = Celsius(f)
	return nil
}

// Level is an attribute that marshals itself.
type Level int

func (l Level) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: strings.Repeat("*", int(l))}, nil
}

func (l *Level) UnmarshalXMLAttr(attr xml.Attr) error {
	*l = Level(len(attr.Value))
	return nil
}

type Weather struct {
	XMLName xml.Name  `xml:"weather"`
	Level   Level     `xml:"level,attr"`
	Temps   []Celsius `xml:"temp"`
}

type Any struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Items   []Item     `xml:",any"`
}

type Item struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type BadPath struct {
	A string `xml:"x>y"`
	B string `xml:"x"`
}

func main() {
	nick := "al"
	born := time.Date(1990, 3, 4, 5, 6, 7, 0, time.UTC)
	p := Person{
		ID: 13, First: "Ada", Last: "Lovelace", Age: 36, Married: true,
		Emails:  []string{"ada@example.org", "al@example.org"},
		Address: Address{City: "London"},
		Comment: " need more details ", Secret: "hidden", Nick: &nick, Born: born,
	}
	out, err := xml.Marshal(p)
	fmt.Println(string(out), err)
	out, err = xml.MarshalIndent(p, "", "  ")
	fmt.Println(xml.Header + string(out))
	fmt.Println(err)

	var q Person
	err = xml.Unmarshal(out, &q)
	fmt.Println(err, q.ID, q.First, q.Last, q.Age, q.Married, q.Emails, q.City, *q.Nick, q.Born, q.Secret == "", q.Comment)

	out, _ = xml.Marshal(Note{Kind: "warn", Text: "a < b & c"})
	fmt.Println(string(out))
	var n Note
	fmt.Println(xml.Unmarshal([]byte(`<note kind="info">x &amp; y &#65;&#x42;</note>`), &n), n.Kind, n.Text)

	var r Raw
	fmt.Println(xml.Unmarshal([]byte(`<raw><a href="x">link</a><!-- c --></raw>`), &r), r.Inner)
	out, _ = xml.Marshal(r)
	fmt.Println(string(out))

	out, _ = xml.Marshal(Script{Code: "if a < b && c]]>d"})
	fmt.Println(string(out))

	w := Weather{Level: 3, Temps: []Celsius{21.5, -3}}
	out, err = xml.Marshal(w)
	fmt.Println(string(out), err)
	var w2 Weather
	err = xml.Unmarshal([]byte(`<weather level="**"><temp unit="C">10</temp><temp unit="F">212</temp></weather>`), &w2)
	fmt.Println(err, w2.Level, w2.Temps)

	var a Any
	err = xml.Unmarshal([]byte(`<root x="1" y="2"><one>1</one><two>2</two></root>`), &a)
	fmt.Println(err, a.XMLName.Local, len(a.Attrs), a.Attrs[1].Name.Local, a.Attrs[1].Value)
	for _, it := range a.Items {
		fmt.Println(" ", it.XMLName.Local, it.Value)
	}
	out, _ = xml.Marshal(a)
	fmt.Println(string(out))

	// Namespaces.
	type NS struct {
		XMLName xml.Name `xml:"urn:test doc"`
		Val     string   `xml:"urn:other val"`
	}
	out, _ = xml.Marshal(NS{Val: "v"})
	fmt.Println(string(out))
	var ns NS
	fmt.Println(xml.Unmarshal(out, &ns), ns.XMLName.Space, ns.Val)

	// The Decoder's tokens.
	d := xml.NewDecoder(strings.NewReader(`<?xml version="1.0"?>
<!DOCTYPE doc>
<doc a="1"><!-- hi --><p>text<![CDATA[<raw>]]></p><e/></doc>`))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			fmt.Printf("start %s %v\n", t.Name.Local, t.Attr)
		case xml.EndElement:
			fmt.Printf("end %s\n", t.Name.Local)
		case xml.CharData:
			fmt.Printf("chardata %q\n", string(t))
		case xml.Comment:
			fmt.Printf("comment %q\n", string(t))
		case xml.ProcInst:
			fmt.Printf("procinst %s %q\n", t.Target, string(t.Inst))
		case xml.Directive:
			fmt.Printf("directive %q\n", string(t))
		}
	}
	line, col := d.InputPos()
	fmt.Println("pos", line, col, d.InputOffset())

	// The Encoder's tokens.
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	e.Indent(">", "\t")
	start := xml.StartElement{Name: xml.Name{Local: "list"}, Attr: []xml.Attr{{Name: xml.Name{Local: "n"}, Value: "2"}}}
	fmt.Println(e.EncodeToken(start))
	fmt.Println(e.EncodeElement(42, xml.StartElement{Name: xml.Name{Local: "item"}}))
	fmt.Println(e.EncodeToken(xml.Comment("c")))
	fmt.Println(e.EncodeToken(xml.CharData("x<y")))
	fmt.Println(e.EncodeToken(start.End()))
	fmt.Println(e.Flush())
	fmt.Println(buf.String())
	fmt.Println(e.EncodeToken(xml.EndElement{Name: xml.Name{Local: "nope"}}))

	buf.Reset()
	xml.EscapeText(&buf, []byte("<a & 'b' \"c\">\n"))
	fmt.Println(buf.String())

	// Errors.
	var v Note
	err = xml.Unmarshal([]byte(`<note kind="x">unclosed`), &v)
	fmt.Println(err)
	err = xml.Unmarshal([]byte(`<note></other>`), &v)
	var se *xml.SyntaxError
	fmt.Println(err, errors.As(err, &se))
	if se != nil {
		fmt.Println(se.Line, se.Msg)
	}
	err = xml.Unmarshal([]byte(`<other/>`), &v)
	fmt.Println(err)
	err = xml.Unmarshal([]byte(`<note/>`), v)
	fmt.Println(err)
	_, err = xml.Marshal(map[string]int{"a": 1})
	fmt.Println(err)
	_, err = xml.Marshal(make(chan int))
	fmt.Println(err)
	err = xml.Unmarshal([]byte(`<BadPath/>`), &BadPath{})
	var tpe *xml.TagPathError
	fmt.Println(err, errors.As(err, &tpe))
	var num struct {
		N int `xml:"n"`
	}
	err = xml.Unmarshal([]byte(`<x><n>twelve</n></x>`), &num)
	fmt.Println(err)
	strict := xml.NewDecoder(strings.NewReader(`<a>&nbsp;</a>`))
	_, err = strict.Token()
	_, err = strict.Token()
	fmt.Println(err)
	lax := xml.NewDecoder(strings.NewReader(`<a>&nbsp;<br></a>`))
	lax.Strict = false
	lax.AutoClose = xml.HTMLAutoClose
	lax.Entity = xml.HTMLEntity
	for {
		tok, err := lax.Token()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%T %v\n", tok, tok)
	}
}
