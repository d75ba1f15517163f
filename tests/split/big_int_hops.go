package main

// math/big's values (from Go's source) travel across hops: a *big.Int, a
// big.Int held by value in a struct, a *big.Rat and a *big.Float, and two
// pointers to the same Int, which stay one Int after the hop (issue 19:
// "a *big.Int at a hop"). Each is used on both sides.

import (
	"crypto/sha256"
	"fmt"
	"math/big"
)

type account struct {
	name    string
	balance big.Int
}

func main() {
	a, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	alias := a
	acct := &account{name: "alice"}
	acct.balance.Exp(big.NewInt(2), big.NewInt(100), nil)
	r := big.NewRat(22, 7)
	f := new(big.Float).SetPrec(100).SetInt64(2)
	f.Sqrt(f)
	digest := sha256.New()
	digest.Write(a.Bytes())
	goToNetwork 'after-setup'
	a.Mul(a, a)
	fmt.Println(a, alias, a == alias)
	fmt.Println(acct.name, &acct.balance, acct.balance.BitLen())
	fmt.Println(r, r.FloatString(5), f.Text('g', 25))
	goToNetwork 'after-square'
	alias.Add(alias, big.NewInt(1))
	acct.balance.Sub(&acct.balance, big.NewInt(1))
	fmt.Printf("%x %d %v\n", a, &acct.balance, new(big.Rat).Mul(r, r))
	digest.Write(a.Bytes())
	fmt.Printf("%x\n", digest.Sum(nil))
	goToNetwork 'after-sum'
	fmt.Println(a.ProbablyPrime(10), new(big.Int).Mod(a, big.NewInt(97)), a.Cmp(alias))
}
