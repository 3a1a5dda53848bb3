package check

import (
	"testing"
	"time"
)

func TestToday(t *testing.T) {
	clock := func() time.Time { return time.Date(2027, 5, 6, 23, 30, 0, 0, time.FixedZone("x", -3*3600)) }
	tests := []struct {
		name, env string
		want      string
		wantErr   bool
	}{
		{"unset reads the clock, in UTC", "", "2027-05-07", false},
		{"epoch", "1800000000", "2027-01-15", false},
		{"epoch at the last second of a day", "1799971199", "2027-01-14", false},
		{"spaces around", " 0 ", "1970-01-01", false},
		{"not a number", "yesterday", "", true},
		{"negative", "-5", "", true},
		{"fraction", "1800000000.5", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Today(func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return tt.env
				}
				return ""
			}, clock)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got.Format(time.DateOnly) != tt.want {
				t.Errorf("Today = %s, want %s", got.Format(time.DateOnly), tt.want)
			}
			if err == nil && (got.Hour() != 0 || got.Location() != time.UTC) {
				t.Errorf("Today = %v, want midnight UTC", got)
			}
		})
	}
}
