// Reads YAML streams as kubectl reads a manifest file: apimachinery's YAMLOrJSONDecoder, each
// document decoded into a runtime.RawExtension (sigs.k8s.io/yaml: go-yaml v2, not strict, then
// JSON), empty and null documents skipped, the first error ending the stream (cli-runtime's
// StreamVisitor). Reads one JSON string (a whole text) per line on stdin and writes one JSON
// line per text: {"docs": [...]} or {"docs": [...before the error], "error": "..."}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type answer struct {
	Docs  []json.RawMessage `json:"docs"`
	Error string            `json:"error,omitempty"`
}

func read(text string) answer {
	a := answer{Docs: []json.RawMessage{}}
	d := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(text), 4096)
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err != io.EOF {
				a.Error = err.Error()
			}
			return a
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		a.Docs = append(a.Docs, json.RawMessage(raw))
	}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var text string
		if err := json.Unmarshal(in.Bytes(), &text); err != nil {
			panic(err)
		}
		b, err := json.Marshal(read(text))
		if err != nil {
			panic(err)
		}
		out.Write(b)
		out.WriteByte('\n')
	}
}
