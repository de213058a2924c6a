import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
// Importing the app registers every route's operation.
import '../../src/http/app.ts';
import { parseInstant } from '../../src/http/instant.ts';
import { openApiDocument } from '../../src/http/openapi.ts';

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
}

type Responses = Record<string, { content?: Record<string, unknown> }>;
type Document = { paths: Record<string, Record<string, { responses: Responses }>> };

let contract: { doc: Document; routes: Route[]; ajv: Ajv2020 } | undefined;
const validators = new Map<string, ValidateFunction>();
const docId = 'punchcard-openapi';

/** The document every route registered (the same one GET /openapi.json serves), loaded once. */
function load() {
  if (contract) return contract;
  const doc = openApiDocument() as unknown as Document;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
  // The service's one instant parser decides what a date-time is, in answers as in requests.
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== null });
  // The components as one schema of $defs: compiling a response then compiles only
  // the components it refers to, each once.
  const schemas = (doc as unknown as { components: { schemas: object } }).components.schemas;
  ajv.addSchema(
    JSON.parse(
      JSON.stringify({ $id: docId, $defs: schemas }).replaceAll('#/components/schemas/', '#/$defs/'),
    ),
  );
  const routes: Route[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const source = template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '([^/]+)');
    for (const method of Object.keys(methods)) {
      routes.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        params: (template.match(/\{/g) ?? []).length,
      });
    }
  }
  // A literal segment wins over a parameter (as Hono routes them).
  routes.sort((a, b) => a.params - b.params);
  contract = { doc, routes, ajv };
  return contract;
}

/** One ajv function per operation, status and content type, compiled on first use. */
function validatorFor(method: string, template: string, status: string, type: string): ValidateFunction {
  const key = `${method} ${template} ${status} ${type}`;
  let validate = validators.get(key);
  if (!validate) {
    const { doc, ajv } = load();
    const schema = doc.paths[template][method.toLowerCase()].responses[status].content?.[type] as {
      schema: { $ref?: string };
    };
    const ref = schema.schema.$ref;
    validate = ref
      ? (validators.get(ref) ??
        ajv.compile({ $ref: ref.replace('#/components/schemas/', `${docId}#/$defs/`) }))
      : ajv.compile(schema.schema);
    if (ref) validators.set(ref, validate);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Checks one answer against the OpenAPI document: the route, method, status and
 * content type must be documented and the body must match that schema. Throws, so
 * the test whose request drifted from the contract is the one that fails.
 */
export function checkContract(
  method: string,
  url: string,
  answer: { status: number; contentType: string; body: unknown },
): void {
  const { doc, routes } = load();
  const path = new URL(url, 'http://punchcard.test').pathname;
  const route = routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
  const where = `${method.toUpperCase()} ${path} → ${answer.status} ${answer.contentType}`;
  const type = answer.contentType.split(';')[0].trim();
  if (!route) {
    // No such operation: the app refuses it (404, or first 400/401/413/415 from the
    // guards that run before routing) with a Problem like any other.
    if (answer.status < 400 || answer.status > 499 || type !== 'application/problem+json')
      throw new Error(`contract: ${where} is not a documented operation`);
    const validate = load().ajv.getSchema(`${docId}#/$defs/Problem`);
    if (validate && !validate(answer.body))
      throw new Error(`contract: ${where}: ${JSON.stringify(validate.errors)}`);
    return;
  }
  const responses = doc.paths[route.template][route.method.toLowerCase()].responses;
  const documented = responses[String(answer.status)];
  if (!documented)
    throw new Error(
      `contract: ${where}: status ${answer.status} is not documented for ${route.method} ${route.template} (${Object.keys(responses).join(', ')}); body ${JSON.stringify(answer.body)}`,
    );
  if (!documented.content?.[type])
    throw new Error(`contract: ${where}: content type ${type} is not documented for that status`);
  const validate = validatorFor(route.method, route.template, String(answer.status), type);
  if (!validate(answer.body)) {
    throw new Error(
      `contract: ${where}: the body does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 5))}\nbody: ${JSON.stringify(answer.body).slice(0, 2000)}`,
    );
  }
}

/** Parses a response the way a client would, then checks it against the contract. */
export async function checkedResponse(method: string, url: string, res: Response): Promise<unknown> {
  const text = await res.clone().text();
  const contentType = res.headers.get('content-type') ?? '';
  const body = contentType.includes('json') && text ? JSON.parse(text) : text;
  checkContract(method, url, { status: res.status, contentType, body });
  return body;
}
