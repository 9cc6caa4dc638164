package bamboohr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"employees":[{"id":"5","action":"Updated","changedFields":["First name"],"fields":{"First name":{"value":"Tefi"}}}]}`)
	v := &WebhookVerifier{PrivateKey: fixtureKey, Now: func() time.Time { return time.Unix(1658248023, 0) }}
	sig := Sign(fixtureKey, body, fixtureTimestamp)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := v.Verify(body, fixtureTimestamp, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWebhook(b *testing.B) {
	body := []byte(`{"employees":[{"id":"12345","action":"Updated","timestamp":"2026-01-31T18:42:00+0000","changedFields":["First Name"],"fields":{"First Name":{"value":"Bryony"},"Employee #":"300","Litmos Access":{"value":"1"}}}]}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseWebhook(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeCustomReport decodes a 1000-employee report of 17 fields.
func BenchmarkDecodeCustomReport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"title":"t","fields":[],"employees":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"%d","firstName":"First%d","lastName":"Last","workEmail":"u%d@example.com","workPhone":"+1 801 555 0100","mobilePhone":null,"address1":"335 S 560 W","address2":"","city":"Lindon","state":"Utah","zipcode":"84042","country":"United States","jobTitle":"Engineer","status":"Active","employmentHistoryStatus":"Full-Time","terminationDate":"0000-00-00","supervisorEId":"9","customLitmosAccess":"1"}`, i+1, i, i)
	}
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var r CustomReport
		if err := json.Unmarshal(body, &r); err != nil || len(r.Employees) != 1000 {
			b.Fatal(err)
		}
	}
}

// listReportFields are the fields the BambooHR → Litmos job asks for.
var listReportFields = []string{"id", "firstName", "lastName", "status", "employmentHistoryStatus", "supervisorEId",
	"workEmail", "workPhone", "mobilePhone", "address1", "address2", "city", "state", "zipcode", "country",
	"jobTitle", "customLitmosAccess"}

// listReportRows writes n rows of listReportFields, comma separated.
func listReportRows(sb *strings.Builder, n int) {
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sup := "null"
		if i > 0 {
			sup = fmt.Sprintf(`"%d"`, 101+i-i%50)
		}
		fmt.Fprintf(sb, `{"address1":null,"address2":null,"city":"Chicago","country":"United States","customLitmosAccess":"1","employmentHistoryStatus":"Full-Time","firstName":"Emp","id":"%d","jobTitle":"Associate","lastName":"N%05d","mobilePhone":null,"state":null,"status":"Active","supervisorEId":%s,"workEmail":"emp%05d@acme.example","workPhone":null,"zipcode":null}`, 101+i, i, sup, i)
	}
}

// BenchmarkListReport reads the connector's 1000-employee report of the
// fields the BambooHR → Litmos job asks for into records, as List does
// once the answer has arrived.
func BenchmarkListReport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"employees":[`)
	listReportRows(&sb, 1000)
	sb.WriteString(`],"fields":[]}`)
	body := []byte(sb.String())
	k := NewConnector(&Client{}, ConnectorOptions{AccessField: "Litmos Access"})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var r reportRows
		if err := r.DecodeJSONBody(body); err != nil {
			b.Fatal(err)
		}
		if recs := k.reportRecords(r.Employees, listReportFields, "customLitmosAccess"); len(recs) != 1000 {
			b.Fatalf("%d records", len(recs))
		}
	}
}

// BenchmarkDecodeReport10k decodes the connector's 10,000-employee report
// as BambooHR sends it (title, fields, employees), once per sync.
func BenchmarkDecodeReport10k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"title":"rostersync","fields":[`)
	for i, f := range listReportFields {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%q,"type":"text","name":%q}`, f, f)
	}
	sb.WriteString(`],"employees":[`)
	listReportRows(&sb, 10000)
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	if _, ok := decodeReport(string(body)); !ok {
		b.Fatal("left to encoding/json")
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var r reportRows
		if err := r.DecodeJSONBody(body); err != nil || len(r.Employees) != 10000 {
			b.Fatal(err)
		}
	}
}
