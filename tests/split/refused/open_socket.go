package main

// An open socket (a listener on loopback here) is found when the scope is
// encoded: its descriptor is this process's, so the flow stops at the hop
// with an error, as for an open file.

import (
	"fmt"
	"net"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	goToNetwork 'server'
	fmt.Println("listening on", ln.Addr().Network())
	ln.Close()
}
