/** One figure as the JSON line `npm run bench` collects: value and baseline rounded, with their ratio. */
export function emit(name: string, value: number, unit: string, baseline: number): void {
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  console.log(
    JSON.stringify({
      name,
      value: round(value),
      unit,
      baseline: round(baseline),
      ratio: baseline === 0 ? null : round(value / baseline),
    }),
  );
}
