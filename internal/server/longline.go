package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// maxLine is the longest line of a request's head that serve reads: a
// request line carries the query string, so a search with a query string
// of more than maxQueryString bytes, by up to about 12 kB, still reaches
// the handler and gets its JSON 400 there. It is under net/http's own
// limit on a whole head (MaxHeaderBytes and 4 kB of slack), which answers
// in plain text (431) with no body a client can parse.
const maxLine = maxHeaderBytes

// Listener returns ln with every connection it accepts watched for a line
// longer than maxLine: a request line with a query string of 100 kB gets
// the same kind of answer as one of 5 kB, a 400 with a JSON error for the
// search API (plain text for pages), before net/http's plain-text 431.
// The connection is closed after that answer.
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &lineListener{Listener: ln, api: s.pathBase() + "api/"}
}

type lineListener struct {
	net.Listener
	api string
}

func (l *lineListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &lineConn{Conn: c, api: l.api}, nil
}

// lineConn counts the bytes of the line being read. Its start is kept (up
// to the path's first bytes) to tell a search from a page.
type lineConn struct {
	net.Conn
	api string

	mu    sync.Mutex
	n     int    // bytes of the current line read so far
	start []byte // the current line's first bytes
	done  bool   // answered: every read ends the connection
}

func (c *lineConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return 0, io.EOF
	}
	n, err := c.Conn.Read(p)
	for rest := p[:n]; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		chunk := rest
		if i >= 0 {
			chunk = rest[:i]
		}
		if room := 8 + len(c.api) - len(c.start); room > 0 {
			c.start = append(c.start, chunk[:min(room, len(chunk))]...)
		}
		c.n += len(chunk)
		if c.n > maxLine {
			c.refuse()
			return 0, io.EOF
		}
		if i < 0 {
			break
		}
		c.n, c.start, rest = 0, c.start[:0], rest[i+1:]
	}
	return n, err
}

// refuse answers a request whose line is too long, as the handler answers
// a query string too long, and ends the connection: net/http's own answer
// would be a plain-text 431. The answer's bytes are sent before the
// connection is closed, and what the client is still sending is read and
// dropped for a moment, so that closing with unread bytes does not reset
// the connection before the client has read the answer (net/http does the
// same for its own errors).
func (c *lineConn) refuse() {
	c.done = true
	msg := fmt.Sprintf("a line of the request is over %d bytes; keep the query string under %d", maxLine, maxQueryString)
	head, body := "Content-Type: text/plain; charset=utf-8\r\n", msg+"\n"
	if c.isAPI() {
		// As the handler's errors: JSON, readable by other sites' pages.
		b, _ := json.Marshal(map[string]string{"error": msg})
		head = "Content-Type: application/json; charset=utf-8\r\nAccess-Control-Allow-Origin: *\r\n"
		body = string(b) + "\n"
	}
	fmt.Fprintf(c.Conn, "HTTP/1.1 400 Bad Request\r\n%sContent-Length: %d\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n%s", head, len(body), body)
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	c.Conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	io.CopyN(io.Discard, c.Conn, 1<<20)
}

// isAPI says whether the line read is a request for the search API.
func (c *lineConn) isAPI() bool {
	line := string(c.start)
	_, target, ok := strings.Cut(line, " ")
	return ok && strings.HasPrefix(target, c.api)
}
