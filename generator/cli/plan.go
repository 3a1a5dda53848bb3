package cli

import (
	"os"
	"time"

	"productdocs/generator"
	"productdocs/generator/check"
)

// loadOptions works out, once, what a load reads besides the site's
// files: today's date, from SOURCE_DATE_EPOCH or the clock.
func loadOptions(e *env, _ *options) (generator.LoadOptions, error) {
	getenv := e.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	today, err := check.Today(getenv, time.Now)
	if err != nil {
		return generator.LoadOptions{}, err
	}
	return generator.LoadOptions{Today: today}, nil
}
