import type { FormInstance, FormRule } from 'antd';
import type { z } from 'zod';
import { passwordProblem } from '@shared/password-policy';

/** An antd form rule from a server zod schema: the form and the API reject the same input with the same message. */
export function zodRule(schema: z.ZodType): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      // emptiness is the `required` rule's business: one message, in the user's language
      if (value === undefined || value === null || value === '') return;
      const r = schema.safeParse(value ?? '');
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '格式不正确');
    },
  };
}

/** The shared password policy (src/shared/password-policy.ts), with the username it may not contain. */
export function passwordRule(username: () => string | undefined): FormRule {
  return {
    validator: async (_rule, value: string | undefined) => {
      if (!value) return;
      const problem = passwordProblem(value, username());
      if (problem) throw new Error(problem);
    },
  };
}

/**
 * The form's values, or null when a field is invalid: antd has already shown why beside the field,
 * so a failed validation ends the submit quietly instead of as an uncaught rejection (a page error).
 */
export async function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch (e) {
    if (e && typeof e === 'object' && 'errorFields' in e) return null;
    throw e;
  }
}
