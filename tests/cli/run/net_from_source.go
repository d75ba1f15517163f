// net compiled from Go's source (pure Go, the netgo resolver): addresses
// parsed and printed by net and net/netip, then sockets on loopback only
// (127.0.0.1, a port the system picks): a TCP echo server in a goroutine,
// a transfer larger than a socket buffer both ways, read and accept
// deadlines, Close, a UDP round trip and a Unix socket. Ports are never
// printed (they differ run to run). No name is looked up: LookupHost
// would read the machine's own /etc/hosts, or ask its DNS server.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"time"
)

func addresses() {
	for _, s := range []string{"192.168.1.10", "::1", "2001:db8::68", "::ffff:10.0.0.1", "not an address", "256.1.1.1"} {
		ip := net.ParseIP(s)
		fmt.Printf("ParseIP(%q) = %v, To4 %v, loopback %v, private %v\n", s, ip, ip.To4(), ip.IsLoopback(), ip.IsPrivate())
	}
	ip, ipnet, err := net.ParseCIDR("192.168.100.1/20")
	fmt.Println("ParseCIDR:", ip, ipnet, ipnet.Mask, err)
	fmt.Println("contains:", ipnet.Contains(net.ParseIP("192.168.111.255")), ipnet.Contains(net.ParseIP("192.168.112.0")))
	ones, bits := ipnet.Mask.Size()
	fmt.Println("mask size:", ones, bits, net.CIDRMask(64, 128), net.IPv4Mask(255, 255, 255, 0).String())
	_, _, err = net.ParseCIDR("10.0.0.0/33")
	fmt.Println("bad CIDR:", err)
	fmt.Println("equal:", net.ParseIP("10.0.0.1").Equal(net.IPv4(10, 0, 0, 1)), net.IPv4bcast, net.IPv6loopback)
	text, _ := net.ParseIP("fe80::1").MarshalText()
	fmt.Printf("MarshalText: %s\n", text)
	hw, err := net.ParseMAC("00:1a:2b:3c:4d:5e")
	fmt.Println("ParseMAC:", hw, err)

	a := netip.MustParseAddr("10.1.2.3")
	fmt.Println("netip:", a, a.Is4(), a.Next(), a.Prev(), a.IsPrivate(), a.BitLen())
	b, err := netip.ParseAddr("2001:db8::1%eth0")
	fmt.Println("netip zone:", b, b.Zone(), b.WithZone(""), err)
	p := netip.MustParsePrefix("10.1.0.0/16")
	fmt.Println("prefix:", p, p.Contains(a), p.Bits(), netip.MustParsePrefix("10.1.2.3/8").Masked())
	ap := netip.MustParseAddrPort("[::1]:8080")
	fmt.Println("addrport:", ap, ap.Addr(), ap.Port(), ap.Addr().Is6(), a.Compare(netip.MustParseAddr("10.1.2.4")))
	_, err = netip.ParseAddr("1.2.3")
	fmt.Println("netip error:", err)
	fmt.Println("AddrFromSlice:", netip.AddrFrom4([4]byte{127, 0, 0, 1}).IsLoopback())

	fmt.Println("JoinHostPort:", net.JoinHostPort("::1", "80"), net.JoinHostPort("example.com", "443"))
	host, port, err := net.SplitHostPort("[fe80::1%lo]:8080")
	fmt.Println("SplitHostPort:", host, port, err)
	_, _, err = net.SplitHostPort("example.com")
	fmt.Println("SplitHostPort error:", err)
	tcpAddr, err := net.ResolveTCPAddr("tcp", "127.0.0.1:8080")
	fmt.Println("ResolveTCPAddr:", tcpAddr, tcpAddr.Port, err)
	udpAddr, err := net.ResolveUDPAddr("udp4", "127.0.0.1:53")
	fmt.Println("ResolveUDPAddr:", udpAddr, udpAddr.Network(), err)
}

// echo serves one connection: it copies what it reads back until EOF.
func echo(ln net.Listener, done chan<- error) {
	conn, err := ln.Accept()
	if err != nil {
		done <- err
		return
	}
	_, err = io.Copy(conn, conn)
	conn.Close()
	done <- err
}

func tcp() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	fmt.Println("listening:", ln.Addr().Network(), addr.IP, addr.Port > 0)
	done := make(chan error)
	go echo(ln, done)

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	fmt.Println("dialed:", conn.RemoteAddr().String() == ln.Addr().String(), conn.LocalAddr().(*net.TCPAddr).IP)
	fmt.Fprintf(conn, "hello, %s\n", "echo")
	buf := make([]byte, 64)
	n, err := io.ReadFull(conn, buf[:len("hello, echo\n")])
	fmt.Printf("echoed: %q %v\n", buf[:n], err)

	// A read deadline with nothing to read (the server waits for more): a
	// net.Error that timed out. The connection stays usable after it.
	conn.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	start := time.Now()
	_, err = conn.Read(buf)
	var netErr net.Error
	var opErr *net.OpError
	fmt.Println("deadline:", errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, os.ErrDeadlineExceeded), time.Since(start) >= 25*time.Millisecond)
	if errors.As(err, &opErr) {
		fmt.Println("op error:", opErr.Op, opErr.Net, opErr.Err)
	}
	conn.SetReadDeadline(time.Time{})

	// More than a socket buffer holds, written by one goroutine while this
	// one reads the echo back: each side waits for the other in the poller.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	go func() {
		conn.Write(big)
		conn.(*net.TCPConn).CloseWrite()
	}()
	back, err := io.ReadAll(conn)
	fmt.Println("1 MiB echoed:", len(back), bytes.Equal(back, big), err)
	fmt.Println("server:", <-done)

	conn.Close()
	_, err = conn.Read(buf)
	fmt.Println("read after close:", errors.Is(err, net.ErrClosed))

	// An accept deadline, then Accept on the closed listener.
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = ln.Accept()
	fmt.Println("accept deadline:", errors.As(err, &netErr) && netErr.Timeout())
	ln.Close()
	_, err = ln.Accept()
	fmt.Println("accept after close:", errors.Is(err, net.ErrClosed))

	// Nothing listens on the closed listener's port now.
	_, err = net.DialTimeout("tcp", addr.String(), time.Second)
	var sysErr *os.SyscallError
	fmt.Println("refused:", errors.As(err, &sysErr), sysErr != nil && sysErr.Syscall == "connect")
}

func udp() {
	server, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer server.Close()
	served := make(chan string)
	go func() {
		buf := make([]byte, 512)
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			served <- err.Error()
			return
		}
		server.WriteTo(bytes.ToUpper(buf[:n]), from)
		served <- fmt.Sprintf("%s from %v", buf[:n], from.(*net.UDPAddr).IP)
	}()
	client, err := net.Dial("udp", server.LocalAddr().String())
	if err != nil {
		panic(err)
	}
	defer client.Close()
	client.Write([]byte("ping"))
	fmt.Println("udp server got:", <-served)
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	n, err := client.Read(buf)
	fmt.Printf("udp reply: %s %v\n", buf[:n], err)
}

func unixSocket() {
	dir, err := os.MkdirTemp("", "g2n-net")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", dir+"/sock")
	if err != nil {
		panic(err)
	}
	done := make(chan error)
	go echo(ln, done)
	conn, err := net.Dial("unix", dir+"/sock")
	if err != nil {
		panic(err)
	}
	conn.Write([]byte("over a unix socket"))
	conn.(*net.UnixConn).CloseWrite()
	back, err := io.ReadAll(conn)
	fmt.Printf("unix: %q %v %v\n", back, err, <-done)
	conn.Close()
	ln.Close()
}

func pipe() {
	a, b := net.Pipe()
	go func() {
		a.Write([]byte("through net.Pipe"))
		a.Close()
	}()
	back, err := io.ReadAll(b)
	fmt.Printf("pipe: %q %v\n", back, err)
}

func main() {
	addresses()
	tcp()
	udp()
	unixSocket()
	pipe()
}
