// Command insecure is deliberately insecure: gosec scans it to make the
// SARIF fixture beside this folder. It is never built by the project.
package main

import (
	"crypto/md5"
	"crypto/tls"
	"database/sql"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
)

const apiPassword = "hunter2-not-a-real-secret"

func lookup(db *sql.DB, name string) (*sql.Rows, error) {
	return db.Query("SELECT * FROM users WHERE name = '" + name + "'")
}

func main() {
	sum := md5.Sum([]byte(os.Args[0]))
	fmt.Printf("%x %d %s\n", sum, rand.Int(), apiPassword)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	_, _ = client.Get(os.Args[1])
	_ = exec.Command("sh", "-c", os.Args[2]).Run()
	_ = os.WriteFile("/tmp/report.txt", []byte("x"), 0o666)
	data, _ := os.ReadFile(os.Args[3])
	fmt.Println(len(data))
	_ = http.ListenAndServe(":8080", nil)
	_, _ = lookup(nil, os.Args[4])
}
