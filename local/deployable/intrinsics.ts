import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../aws/region.js';

/** What the local stack knows of the resources it created, for `Ref` and `Fn::GetAtt`. */
export interface LocalNames {
  ref(logicalId: string): string | undefined;
  attribute(logicalId: string, name: string): string | undefined;
}

/** `Ref: AWS::NoValue`: the property is left out. */
export const NO_VALUE = Symbol('AWS::NoValue');

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT_ID,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

export class TemplateResolutionError extends Error {
  override readonly name = 'TemplateResolutionError';
}

/**
 * Resolves CloudFormation intrinsic functions against the local resources: Ref, Fn::GetAtt, Fn::Sub,
 * Fn::Join, Fn::Select, Fn::If and the condition functions. Anything else is a TemplateResolutionError.
 */
export const createResolver = (names: LocalNames, conditions: Record<string, unknown> = {}) => {
  const ref = (name: unknown): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const value = typeof name === 'string' ? (PSEUDO_PARAMETERS[name] ?? names.ref(name)) : undefined;
    if (value === undefined)
      throw new TemplateResolutionError(
        `Ref ${String(name)}: not a queue, table, bucket or function of the local stack`,
      );
    return value;
  };

  const attribute = (logicalId: string, name: string): string => {
    const value = names.attribute(logicalId, name);
    if (value === undefined)
      throw new TemplateResolutionError(`Fn::GetAtt ${logicalId}.${name}: not known to the local stack`);
    return value;
  };

  const sub = (argument: unknown): string => {
    const [text, variables = {}] = Array.isArray(argument) ? argument : [argument];
    const own = resolve(variables) as Record<string, unknown>;
    return String(text).replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in own) return String(own[name]);
      const [logicalId = '', attributeName] = name.split('.');
      return attributeName === undefined ? String(ref(logicalId)) : attribute(logicalId, attributeName);
    });
  };

  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new TemplateResolutionError(`Condition ${name} is not declared`);
    return resolve(conditions[name]) === true;
  };

  const intrinsic = (fn: string, argument: unknown): unknown => {
    const list = (): unknown[] => (Array.isArray(argument) ? argument : []);
    switch (fn) {
      case 'Ref':
        return ref(argument);
      case 'Fn::GetAtt': {
        const [logicalId, name] = typeof argument === 'string' ? argument.split('.') : list();
        return attribute(String(logicalId), String(name));
      }
      case 'Fn::Sub':
        return sub(argument);
      case 'Fn::Join': {
        const [delimiter, items] = list();
        return (resolve(items) as unknown[]).join(String(delimiter));
      }
      case 'Fn::Select': {
        const [index, items] = list();
        return (resolve(items) as unknown[])[Number(resolve(index))];
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = list();
        return resolve(condition(String(name)) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = list().map(resolve);
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Not':
        return !(resolve(list()[0]) === true);
      case 'Fn::And':
        return list().every((item) => resolve(item) === true);
      case 'Fn::Or':
        return list().some((item) => resolve(item) === true);
      case 'Condition':
        return condition(String(argument));
      default:
        throw new TemplateResolutionError(`${fn} is not supported by the local stack`);
    }
  };

  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== NO_VALUE);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (
      entries.length === 1 &&
      first &&
      (first[0] === 'Ref' || first[0] === 'Condition' || first[0].startsWith('Fn::'))
    ) {
      return intrinsic(first[0], first[1]);
    }
    return Object.fromEntries(
      entries.map(([key, item]) => [key, resolve(item)]).filter(([, item]) => item !== NO_VALUE),
    );
  };

  return { resolve, condition };
};
