/**
 * Heim's base URL is checked when the handler is made, not when the first patient opens a dialog:
 * the proxy appends `/appointments/{id}` to it, so a URL without the version answers 404 to all.
 */
import { describe, expect, it } from 'vitest';
import { heimBaseUrlSchema } from '../../src/server/options';

describe("Heim's base URL", () => {
  it.each([
    ['https://api.heim.health/v1', 'https://api.heim.health/v1'],
    ['https://api.heim.health/v1/', 'https://api.heim.health/v1'],
    ['https://gateway.example.nhs.uk/heim/v2', 'https://gateway.example.nhs.uk/heim/v2'],
    ['http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010/v1'],
  ])('accepts %s', (input, expected) => {
    expect(heimBaseUrlSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['https://api.heim.health', 'must end with the API version path'],
    ['https://api.heim.health/', 'must end with the API version path'],
    ['https://api.heim.health/v1/appointments', 'must end with the API version path'],
    ['https://api.heim.health/v1?key=x', 'no query or fragment'],
    ['http://api.heim.health/v1', 'must be https: unless the host is loopback'],
    ['api.heim.health/v1', 'must be a URL'],
  ])('refuses %s', (input, message) => {
    const result = heimBaseUrlSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(' | ')).toContain(message);
  });
});
