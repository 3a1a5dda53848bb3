package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The base protocol (LSP §"Base Protocol") is JSON-RPC 2.0 with each
// message after a header of "Content-Length: N" lines and a blank line.
// It is a hundred lines; the libraries that offer it bring a logger, a
// WebSocket server or a JSON encoder of their own with them.

// maxMessage bounds one message's body: a client sending a header that
// claims gigabytes must not make the server allocate them. A 10 MB
// Markdown file sent whole is well within it.
const maxMessage = 64 << 20

// maxHeaderLine bounds a header line; real ones are some thirty bytes.
const maxHeaderLine = 1024

// JSON-RPC and LSP error codes.
const (
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeMethodNotFound       = -32601
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeServerNotInitialized = -32002
	codeRequestFailed        = -32803
)

// rpcError is a JSON-RPC error object; a handler returns one to answer a
// request with an error.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%s (%d)", e.Message, e.Code) }

func errorf(code int, format string, args ...any) *rpcError {
	return &rpcError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// message is any JSON-RPC message: a request (ID and Method), a
// notification (Method alone) or a response (ID and Result or Error).
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// isRequest reports whether the message waits for an answer.
func (m *message) isRequest() bool { return len(m.ID) > 0 && m.Method != "" }

// errFraming means the stream itself is broken: there is no telling where
// the next message starts, so the connection ends.
var errFraming = errors.New("malformed message header")

// readMessage reads one message's body from r: the bytes after the header.
// A header without Content-Length, or with a length that is not a number
// or is too large, is errFraming. io.EOF before any header byte is a
// clean end of the stream.
func readMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for first := true; ; first = false {
		// ReadSlice, not ReadString: a "line" of gigabytes without a
		// newline ends at the buffer's size rather than in memory.
		raw, err := r.ReadSlice('\n')
		if len(raw) > maxHeaderLine || err == bufio.ErrBufferFull {
			return nil, fmt.Errorf("%w: a header line of more than %d bytes", errFraming, maxHeaderLine)
		}
		if err != nil {
			if err == io.EOF && first && len(raw) == 0 {
				return nil, io.EOF
			}
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: %q", errFraming, line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%w: Content-Length %q", errFraming, value)
			}
			if n > maxMessage {
				return nil, fmt.Errorf("%w: a message of %d bytes is more than the %d this server reads", errFraming, n, maxMessage)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, fmt.Errorf("%w: no Content-Length", errFraming)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

// decodeMessage reads a message's body. A body that is not JSON is a
// parse error; JSON that is not a JSON-RPC 2.0 message is an invalid
// request. The message is returned with the error where there is one,
// so that a request with a readable ID gets its answer.
func decodeMessage(body []byte) (*message, *rpcError) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, errorf(codeParseError, "the message is not JSON: %v", err)
	}
	if len(m.ID) > 0 && !validID(m.ID) {
		m.ID = json.RawMessage("null") // answered, with the id JSON-RPC gives an unreadable one
		return &m, errorf(codeInvalidRequest, "the id must be a number or a string")
	}
	if m.JSONRPC != "2.0" {
		return &m, errorf(codeInvalidRequest, "jsonrpc must be \"2.0\", not %q", m.JSONRPC)
	}
	if m.Method == "" && len(m.ID) == 0 {
		return &m, errorf(codeInvalidRequest, "a message needs a method or an id")
	}
	if len(m.Params) > 0 && m.Params[0] != '{' && m.Params[0] != '[' && !bytes.Equal(m.Params, []byte("null")) {
		return &m, errorf(codeInvalidRequest, "params must be an object or an array")
	}
	return &m, nil
}

// validID reports whether a raw id is a JSON number or string (null is
// kept for responses to messages whose id could not be read).
func validID(raw json.RawMessage) bool {
	if string(raw) == "null" {
		return true
	}
	switch raw[0] {
	case '"':
		var s string
		return json.Unmarshal(raw, &s) == nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		return json.Unmarshal(raw, &n) == nil
	}
	return false
}

// conn writes messages to the client; writes from the server's loop and
// its timers do not interleave.
type conn struct {
	mu  sync.Mutex
	w   io.Writer
	err error // the first write error: the client has gone
}

func (c *conn) write(v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding a message: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	if _, err := c.w.Write(b.Bytes()); err != nil {
		c.err = fmt.Errorf("writing to the client: %w", err)
	}
	return c.err
}

// response is a message answering a request: exactly one of result and
// error is present, and result is present even when null.
type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result"`
}

type errorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *rpcError       `json:"error"`
}

type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
}

type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      string `json:"id"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
}

func (c *conn) reply(id json.RawMessage, result any, rerr *rpcError) error {
	if id == nil {
		id = json.RawMessage("null")
	}
	if rerr != nil {
		return c.write(errorResponse{"2.0", id, rerr})
	}
	return c.write(response{"2.0", id, result})
}

func (c *conn) notify(method string, params any) error {
	return c.write(notification{"2.0", method, params})
}
