/** The flag the relay benches evaluate: a premium rule, then 25% of everyone else. */
export const BENCH_FLAG = {
  name: 'checkout-redesign',
  description: 'bench flag: a premium rule, then 25% of everyone else',
  environments: {
    production: {
      enabled: true,
      rules: [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
        },
        { strategy: 'percentage', percentage: 25 },
      ],
      fallthrough: { serve: false },
    },
  },
};

/** A `POST /api/v1/feature-flags/evaluate` body for it. */
export const BENCH_EVALUATE_REQUEST = JSON.stringify({
  flagName: BENCH_FLAG.name,
  userContext: { userId: 'user-42', email: 'user@example.com', plan: 'free', country: 'US' },
});

export const BENCH_ADMIN_KEY = 'sy-bench-admin-key-0123456789';
