// encoding/json compiled from Go's source on g2n's reflect: struct tags,
// omitempty, maps with converted keys, interfaces, a pointer-receiver
// UnmarshalJSON found through Value.Addr, and two defined types that share
// a spelling (main.Level, declared in two functions).
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

type Color int

func (c Color) MarshalJSON() ([]byte, error) {
	return json.Marshal([]string{"red", "green", "blue"}[c])
}

func (c *Color) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	switch strings.ToLower(s) {
	case "red":
		*c = 0
	case "green":
		*c = 1
	default:
		*c = 2
	}
	return nil
}

type Item struct {
	Name    string         `json:"name"`
	Count   int            `json:"count,omitempty"`
	Price   float64        `json:"price"`
	Tags    []string       `json:"tags"`
	Color   Color          `json:"color"`
	ByID    map[int]string `json:"by_id,omitempty"`
	Extra   any            `json:"extra"`
	private int
	Skip    bool `json:"-"`
}

func first() any {
	type Level struct{ N int }
	var l []Level
	json.Unmarshal([]byte(`[{"N":1},{"N":2}]`), &l)
	return l
}

func second() any {
	type Level int
	var l []Level
	json.Unmarshal([]byte(`[3,4]`), &l)
	return l
}

func main() {
	it := Item{Name: "pen", Price: 1.5, Tags: []string{"a", "b"}, Color: 1, ByID: map[int]string{2: "two", 1: "one"}, Extra: map[string]any{"k": []any{1.0, "x", nil}}, private: 9, Skip: true}
	b, err := json.Marshal(it)
	fmt.Println(string(b), err)
	var back Item
	err = json.Unmarshal(b, &back)
	fmt.Printf("%+v %v\n", back, err)
	fmt.Println(reflect.DeepEqual(it.ByID, back.ByID), back.Color, back.Skip)
	b, _ = json.MarshalIndent(map[string]any{"z": 1, "a": []int{1, 2}, "m": nil}, "", "  ")
	fmt.Println(string(b))
	var v any
	err = json.Unmarshal([]byte(`{"a": [1, "x", true, null, {"b": 2.5}]}`), &v)
	fmt.Println(v, err)
	err = json.Unmarshal([]byte(`{"name": 5}`), &back)
	fmt.Println(err)
	fmt.Println(first(), second())
	fmt.Println(reflect.ValueOf(3).Convert(reflect.TypeOf(float32(0))).Interface(), reflect.ValueOf(65).Convert(reflect.TypeOf("")).Interface(), reflect.ValueOf("hé").Convert(reflect.TypeOf([]byte{})).Interface(),
		reflect.ValueOf(Color(2)).Convert(reflect.TypeOf(0)).Interface(), reflect.ValueOf(-1.9).Convert(reflect.TypeOf(int8(0))).Int(), reflect.ValueOf(uint8(200)).Convert(reflect.TypeOf(int8(0))).Int(),
		reflect.ValueOf(7).CanConvert(reflect.TypeOf([]int{})))
}
