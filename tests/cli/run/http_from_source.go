// net/http and net/http/httptest compiled from Go's source: an httptest
// server on loopback (127.0.0.1, a port the system picks) and Go's client
// talking HTTP/1.1 to it: GET with a query, headers and a status, POST of a
// form (http.PostForm: its parameter named url shadows package url in the
// body only), a JSON body, a redirect followed, a 404, a cookie, and
// keep-alive connections reused. The server's URL is never printed (its
// port differs run to run).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Greeting", "hi")
		fmt.Fprintf(w, "hello %s, %s %s, q=%q", r.URL.Query().Get("name"), r.Method, r.Proto, r.URL.RawQuery)
	})
	mux.HandleFunc("/form", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		keys := make([]string, 0, len(r.PostForm))
		for k := range r.PostForm {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "%s=%s;", k, r.PostForm[k])
		}
		fmt.Fprintf(w, " content-type %s", r.Header.Get("Content-Type"))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ A, B int }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int{"sum": in.A + in.B})
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello?name=redirected", http.StatusFound)
	})
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
		fmt.Fprint(w, "cookie set")
	})
	remotes := map[string]bool{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remotes[r.RemoteAddr] = true
		mux.ServeHTTP(w, r)
	}))
	defer server.Close()
	fmt.Println("server on loopback:", strings.HasPrefix(server.URL, "http://127.0.0.1:"))

	show := func(what string, resp *http.Response, err error) {
		if err != nil {
			fmt.Println(what, "error:", err)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %s %q %q %v\n", what, resp.Status, resp.Header.Get("Content-Type"), body, err)
	}

	resp, err := http.Get(server.URL + "/hello?name=gopher&x=1")
	if err == nil {
		fmt.Println("X-Greeting:", resp.Header.Get("X-Greeting"), resp.ContentLength, resp.ProtoMajor, resp.ProtoMinor)
	}
	show("GET", resp, err)
	resp, err = http.PostForm(server.URL+"/form", url.Values{"b": {"2", "3"}, "a": {"1"}})
	show("POST form", resp, err)
	resp, err = http.Post(server.URL+"/json", "application/json", strings.NewReader(`{"A": 40, "B": 2}`))
	show("POST json", resp, err)
	resp, err = http.Post(server.URL+"/json", "application/json", strings.NewReader(`{"A": `))
	show("bad json", resp, err)
	resp, err = http.Get(server.URL + "/old")
	if err == nil {
		fmt.Println("redirected to:", resp.Request.URL.Path, resp.Request.URL.RawQuery)
	}
	show("redirect", resp, err)
	resp, err = http.Get(server.URL + "/missing")
	show("missing", resp, err)
	resp, err = http.Get(server.URL + "/cookie")
	if err == nil {
		for _, c := range resp.Cookies() {
			fmt.Println("cookie:", c.Name, c.Value, c.Path)
		}
	}
	show("cookie", resp, err)

	req, _ := http.NewRequest(http.MethodPut, server.URL+"/hello?name=put", nil)
	req.Header.Set("User-Agent", "g2n-test")
	resp, err = http.DefaultClient.Do(req)
	show("PUT", resp, err)

	// Every request above went over one kept-alive connection.
	fmt.Println("connections:", len(remotes))
}
