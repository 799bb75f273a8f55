/**
 * A small evaluator for the Terraform expressions used in variable validation conditions
 * (constructs/homelab-inputs.ts), so `npm run doctor` checks inputs with the very rules
 * Terraform will apply, instead of a second copy of each regex.
 *
 * Supported: string/number/bool literals, string templates, `var.<name>`, for-expressions
 * over lists, `[...]`, indexing, `! && || == != < <= > >=`, and the functions alltrue,
 * anytrue, can, cidrnetmask, contains, endswith, length, lower, regex, split, startswith,
 * tonumber, upper. Anything else throws UnsupportedExpression.
 */

export class UnsupportedExpression extends Error {}

type Value = string | number | boolean | Value[];
type Scope = Readonly<Record<string, Value>>;

interface Node {
  eval(scope: Scope): Value;
}

const lit = (v: Value): Node => ({ eval: () => v });

function cidrnetmask(cidr: Value): Value {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(String(cidr));
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) throw new Error(`invalid CIDR ${cidr}`);
  const bits = Number(m[5]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join(".");
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  alltrue: (list) => (list as Value[]).every((v) => v === true),
  anytrue: (list) => (list as Value[]).some((v) => v === true),
  cidrnetmask,
  contains: (list, v) => (list as Value[]).includes(v),
  endswith: (s, suffix) => String(s).endsWith(String(suffix)),
  length: (v) => (Array.isArray(v) ? v.length : [...String(v)].length),
  lower: (s) => String(s).toLowerCase(),
  regex: (re, s) => {
    const m = new RegExp(String(re)).exec(String(s));
    if (!m) throw new Error(`no match for ${re}`);
    return m[0];
  },
  split: (sep, s) => String(s).split(String(sep)),
  startswith: (s, prefix) => String(s).startsWith(String(prefix)),
  tonumber: (v) => {
    const n = Number(v);
    if (String(v).trim() === "" || Number.isNaN(n)) throw new Error(`not a number: ${v}`);
    return n;
  },
  upper: (s) => String(s).toUpperCase(),
};

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseAll(): Node {
    const node = this.expr();
    this.ws();
    if (this.pos < this.src.length) throw new UnsupportedExpression(`unexpected ${JSON.stringify(this.src.slice(this.pos, this.pos + 10))}`);
    return node;
  }

  private ws(): void {
    while (/\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private eat(token: string): boolean {
    this.ws();
    if (this.src.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw new UnsupportedExpression(`expected ${token} at ${this.pos}`);
  }

  expr(): Node {
    let left = this.and();
    while (this.eat("||")) {
      const [l, r] = [left, this.and()];
      left = { eval: (s) => l.eval(s) === true || r.eval(s) === true };
    }
    return left;
  }

  private and(): Node {
    let left = this.cmp();
    while (this.eat("&&")) {
      const [l, r] = [left, this.cmp()];
      // Terraform does not short-circuit, but a failing right side only matters inside can().
      left = { eval: (s) => l.eval(s) === true && r.eval(s) === true };
    }
    return left;
  }

  private cmp(): Node {
    const left = this.unary();
    for (const op of ["==", "!=", ">=", "<=", ">", "<"]) {
      if (this.eat(op)) {
        const right = this.unary();
        return {
          eval: (s) => {
            const [a, b] = [left.eval(s), right.eval(s)];
            if (op === "==") return JSON.stringify(a) === JSON.stringify(b);
            if (op === "!=") return JSON.stringify(a) !== JSON.stringify(b);
            const [x, y] = [Number(a), Number(b)];
            return op === ">=" ? x >= y : op === "<=" ? x <= y : op === ">" ? x > y : x < y;
          },
        };
      }
    }
    return left;
  }

  private unary(): Node {
    if (this.eat("!")) {
      const inner = this.unary();
      return { eval: (s) => inner.eval(s) !== true };
    }
    let node = this.primary();
    while (this.eat("[")) {
      const [target, index] = [node, this.expr()];
      this.expect("]");
      node = {
        eval: (s) => {
          const list = target.eval(s);
          const v = Array.isArray(list) ? list[Number(index.eval(s))] : undefined;
          if (v === undefined) throw new Error("index out of range");
          return v;
        },
      };
    }
    return node;
  }

  private primary(): Node {
    this.ws();
    const c = this.src[this.pos];
    if (c === '"') return this.string();
    if (c === "(") {
      this.pos++;
      const inner = this.expr();
      this.expect(")");
      return inner;
    }
    if (c === "[") {
      this.pos++;
      if (this.eat("for ")) {
        const name = this.ident();
        this.expect("in");
        const list = this.expr();
        this.expect(":");
        const body = this.expr();
        this.expect("]");
        return { eval: (s) => (list.eval(s) as Value[]).map((item) => body.eval({ ...s, [name]: item })) };
      }
      const items: Node[] = [];
      if (!this.eat("]")) {
        do items.push(this.expr());
        while (this.eat(","));
        this.expect("]");
      }
      return { eval: (s) => items.map((i) => i.eval(s)) };
    }
    const num = /^-?\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return lit(Number(num[0]));
    }
    const name = this.ident();
    if (name === "true" || name === "false") return lit(name === "true");
    if (this.eat("(")) {
      const args: Node[] = [];
      if (!this.eat(")")) {
        do args.push(this.expr());
        while (this.eat(","));
        this.expect(")");
      }
      if (name === "can") {
        return {
          eval: (s) => {
            try {
              args[0].eval(s);
              return true;
            } catch (e) {
              if (e instanceof UnsupportedExpression) throw e;
              return false;
            }
          },
        };
      }
      const fn = FUNCTIONS[name];
      if (!fn) throw new UnsupportedExpression(`function ${name}() is not supported`);
      return { eval: (s) => fn(...args.map((a) => a.eval(s))) };
    }
    let path = name;
    while (this.src[this.pos] === "." && /[A-Za-z_]/.test(this.src[this.pos + 1] ?? "")) {
      this.pos++;
      path += `.${this.ident()}`;
    }
    return {
      eval: (s) => {
        if (!(path in s)) throw new UnsupportedExpression(`unknown reference ${path}`);
        return s[path];
      },
    };
  }

  private ident(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!m) throw new UnsupportedExpression(`expected a name at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** A quoted string with escapes and ${...} interpolations. */
  private string(): Node {
    this.pos++;
    const parts: Node[] = [];
    let text = "";
    while (this.pos < this.src.length && this.src[this.pos] !== '"') {
      const c = this.src[this.pos];
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        text += next === "n" ? "\n" : next === "t" ? "\t" : next;
        this.pos += 2;
      } else if (this.src.startsWith("${", this.pos)) {
        parts.push(lit(text));
        text = "";
        this.pos += 2;
        parts.push(this.expr());
        this.expect("}");
      } else {
        text += c;
        this.pos++;
      }
    }
    this.expect('"');
    parts.push(lit(text));
    return { eval: (s) => parts.map((p) => String(p.eval(s))).join("") };
  }
}

/** Parses a condition as written in a variable's validation block (`${...}` wrapped). */
export function parseCondition(condition: string): Node {
  const m = /^\$\{([\s\S]*)\}$/.exec(condition.trim());
  return new Parser(m ? m[1] : condition).parseAll();
}

/** Evaluates a validation condition for one variable's value; true when the value is valid. */
export function conditionHolds(condition: string, variable: string, value: Value): boolean {
  return parseCondition(condition).eval({ [`var.${variable}`]: value }) === true;
}
