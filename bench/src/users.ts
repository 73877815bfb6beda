/** 100,000 distinct synthetic users, the same for every system in a run. */
export interface BenchUser {
  id: string;
  country: string;
  plan: string;
  email: string;
}

const COUNTRIES = ['US', 'CA', 'UK', 'DE', 'FR', 'JP', 'BR', 'IN'];
const PLANS = ['free', 'premium', 'enterprise', 'free', 'premium'];

export function benchUsers(count = 100_000): BenchUser[] {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++) {
    users.push({
      id: `user-${i.toString(36)}-${(i * 2654435761) % 1_000_003}`,
      country: COUNTRIES[i % COUNTRIES.length] as string,
      plan: PLANS[(i >> 3) % PLANS.length] as string,
      email: `person${i}@${i % 10 === 0 ? 'company.com' : 'example.org'}`,
    });
  }
  return users;
}
