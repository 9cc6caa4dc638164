package secretscan

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Signatures returns the webhook signatures the tests can compute from the
// module's golden webhook payloads (every testdata/webhook_* file under
// root, as stored and, for JSON, compacted) under every key of keys: HMAC
// with SHA-256 and SHA-512, in hex and in Base64, which covers BambooHR's
// and HiBob's schemes. They are Exact: a signature is looked for as a
// whole token, as it is written.
//
// A signature over a value chosen at run time (BambooHR signs the body
// followed by the delivery's timestamp) cannot be known here; the vendor
// packages' own tests assert that no log or answer shows one.
func Signatures(root string, keys []Secret) ([]Secret, error) {
	bodies, err := webhookBodies(root)
	if err != nil {
		return nil, err
	}
	schemes := []struct {
		name string
		h    func() hash.Hash
	}{{"hmac-sha256", sha256.New}, {"hmac-sha512", sha512.New}}
	var out []Secret
	for _, k := range keys {
		for _, b := range bodies {
			for _, s := range schemes {
				m := hmac.New(s.h, []byte(k.Value))
				m.Write(b.data)
				sum := m.Sum(nil)
				name := fmt.Sprintf("%s(%s, %s)", s.name, k.Name, b.name)
				out = append(out,
					Secret{Name: name + " hex", Value: hex.EncodeToString(sum), Exact: true},
					Secret{Name: name + " base64", Value: base64.StdEncoding.EncodeToString(sum), Exact: true})
			}
		}
	}
	return out, nil
}

type body struct {
	name string
	data []byte
}

// webhookBodies reads the golden webhook payloads under root.
func webhookBodies(root string) ([]body, error) {
	var out []body
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Base(filepath.Dir(path)) != "testdata" || !strings.HasPrefix(d.Name(), "webhook_") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		out = append(out, body{rel, b})
		var c bytes.Buffer
		if json.Compact(&c, b) == nil && !bytes.Equal(c.Bytes(), b) {
			out = append(out, body{rel + " compacted", c.Bytes()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("secretscan: %w", err)
	}
	return out, nil
}
