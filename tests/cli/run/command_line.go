package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println(len(os.Args), strings.HasSuffix(os.Args[0], "command_line"))
	flag.Parse()
	fmt.Println(flag.Parsed(), flag.NArg(), flag.Arg(0) == "", len(flag.Args()), flag.NFlag())
	os.Args[0] = "renamed"
	fmt.Println(os.Args[0], os.Args[1:])
}
