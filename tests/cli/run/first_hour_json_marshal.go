package main

import (
	"encoding/json"
	"fmt"
	"os"
)

type Address struct {
	City string `json:"city"`
	Zip  string `json:"zip,omitempty"`
}

type Person struct {
	Name    string            `json:"name"`
	Age     int               `json:"age"`
	Email   string            `json:"-"`
	Tags    []string          `json:"tags"`
	Address *Address          `json:"address,omitempty"`
	Extra   map[string]string `json:"extra,omitempty"`
	private int
}

func main() {
	p := Person{Name: "Ada", Age: 36, Email: "ada@example.com", Tags: []string{"math", "code"}, Address: &Address{City: "London"}, Extra: map[string]string{"b": "2", "a": "1"}}
	b, err := json.Marshal(p)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(string(b))
	b, _ = json.MarshalIndent(Person{Name: "Bob"}, "", "  ")
	fmt.Println(string(b))
	var back Person
	if err := json.Unmarshal([]byte(`{"name":"Cy","age":7,"tags":["x"],"address":{"city":"Paris","zip":"75001"}}`), &back); err != nil {
		fmt.Println("error:", err)
	}
	addr := back.Address
	back.Address = nil
	fmt.Printf("%+v %+v\n", back, *addr)
}
