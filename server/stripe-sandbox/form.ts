// Decodes Stripe's form encoding (`a[b]=c`, `a[]=x`, `a[0]=x`) into nested values, as the SDK sends them.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function splitKey(key: string): string[] {
  const first = key.indexOf("[");
  if (first <= 0) return [key];
  const parts = [key.slice(0, first)];
  const rest = key.slice(first);
  const pattern = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) throw new Error(`malformed parameter name: ${key}`);
    parts.push(match[1] ?? "");
    consumed = match.index + match[0].length;
  }
  if (consumed !== rest.length) throw new Error(`malformed parameter name: ${key}`);
  return parts;
}

export function parseForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = splitKey(key);
    let node: FormObject | FormValue[] = root;
    for (let index = 0; index < path.length; index += 1) {
      const segment = path[index] ?? "";
      const last = index === path.length - 1;
      if (Array.isArray(node)) {
        // `a[]=x` appends; `a[0]=x` is Stripe's indexed array form.
        if (last) node.push(value);
        else throw new Error(`nested objects inside arrays are not supported: ${key}`);
        break;
      }
      if (last) {
        node[segment] = value;
        break;
      }
      const nextSegment = path[index + 1] ?? "";
      const wantsArray = nextSegment === "" || /^\d+$/.test(nextSegment);
      const existing: FormValue | undefined = node[segment];
      if (existing === undefined) {
        const created: FormObject | FormValue[] = wantsArray ? [] : {};
        node[segment] = created;
        node = created;
      } else if (typeof existing === "string") {
        throw new Error(`parameter ${segment} is both a value and an object`);
      } else {
        node = existing;
      }
    }
  }
  return root;
}

/** A canonical string of the parameters, so an idempotency key can be compared with the request it was first used with. */
export function canonicalParams(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalParams(value[key] as FormValue)}`).join(",")}}`;
}
