// Command ofrep-compat evaluates a table of flags through the official OpenFeature OFREP provider
// for Go (github.com/open-feature/go-sdk-contrib/providers/ofrep) against a Switchyard relay.
//
// It reads {"baseUrl", "key", "cases": [{"id", "flag", "type", "default", "context"}]} as JSON on
// stdin and prints one JSON array of {"id", "value", "variant", "reason", "errorCode"} on stdout,
// in the cases' order. test/src/compat/ofrep-clients.spec.ts builds and runs it (docs/ofrep-clients.md).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/open-feature/go-sdk-contrib/providers/ofrep"
	"github.com/open-feature/go-sdk/openfeature"
)

type evaluationCase struct {
	ID      string         `json:"id"`
	Flag    string         `json:"flag"`
	Type    string         `json:"type"`
	Default any            `json:"default"`
	Context map[string]any `json:"context"`
}

type table struct {
	BaseURL string           `json:"baseUrl"`
	Key     string           `json:"key"`
	Cases   []evaluationCase `json:"cases"`
}

type outcome struct {
	ID        string `json:"id"`
	Value     any    `json:"value"`
	Variant   string `json:"variant,omitempty"`
	Reason    string `json:"reason"`
	ErrorCode string `json:"errorCode,omitempty"`
}

func main() {
	var input table
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fail("reading the table from stdin: %v", err)
	}
	if err := openfeature.SetNamedProviderAndWait("compat", ofrep.NewProvider(input.BaseURL, ofrep.WithBearerToken(input.Key))); err != nil {
		fail("setting the provider: %v", err)
	}
	client := openfeature.NewClient("compat")
	outcomes := make([]outcome, 0, len(input.Cases))
	for _, c := range input.Cases {
		outcomes = append(outcomes, evaluate(client, c))
	}
	if err := json.NewEncoder(os.Stdout).Encode(outcomes); err != nil {
		fail("writing the results: %v", err)
	}
}

func evaluate(client *openfeature.Client, c evaluationCase) outcome {
	ctx := context.Background()
	targetingKey, _ := c.Context["targetingKey"].(string)
	attributes := map[string]any{}
	for name, value := range c.Context {
		if name != "targetingKey" {
			attributes[name] = value
		}
	}
	evalCtx := openfeature.NewEvaluationContext(targetingKey, attributes)
	var value any
	var details openfeature.EvaluationDetails
	switch c.Type {
	case "boolean":
		d, _ := client.BooleanValueDetails(ctx, c.Flag, c.Default.(bool), evalCtx)
		value, details = d.Value, d.EvaluationDetails
	case "string":
		d, _ := client.StringValueDetails(ctx, c.Flag, c.Default.(string), evalCtx)
		value, details = d.Value, d.EvaluationDetails
	case "number":
		d, _ := client.IntValueDetails(ctx, c.Flag, int64(c.Default.(float64)), evalCtx)
		value, details = d.Value, d.EvaluationDetails
	case "object":
		d, _ := client.ObjectValueDetails(ctx, c.Flag, c.Default, evalCtx)
		value, details = d.Value, d.EvaluationDetails
	default:
		fail("case %s: unknown type %q", c.ID, c.Type)
	}
	return outcome{ID: c.ID, Value: value, Variant: details.Variant, Reason: string(details.Reason), ErrorCode: string(details.ErrorCode)}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ofrep-compat: "+format+"\n", args...)
	os.Exit(1)
}
