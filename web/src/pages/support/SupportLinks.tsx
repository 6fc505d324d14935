// The support screens a role has, as links for a page header (the menu has one 帮扶 entry; each
// role lands on its own screen and reaches the others from here). The server checks every call.
import { Link, useLocation } from 'react-router-dom';
import type { Role } from '@shared/roles';
import { useCurrentUser } from '../../api/session';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n';

const MANAGERS: readonly Role[] = ['principal', 'academic_office', 'bureau_admin', 'bureau_staff'];
const SCREENS: { path: string; key: MessageKey; roles: readonly Role[] | 'teachers' }[] = [
  { path: '/support/mine', key: 'support.my.title', roles: 'teachers' },
  { path: '/support/class', key: 'support.class.title', roles: ['head_teacher', 'principal', 'academic_office', 'counsellor'] },
  { path: '/support/school', key: 'support.school.title', roles: ['principal', 'academic_office'] },
  { path: '/support/assignment', key: 'support.assign.title', roles: MANAGERS },
  { path: '/support/refresh', key: 'support.refresh.title', roles: [...MANAGERS, 'inspector'] },
  { path: '/support/bureau', key: 'support.bureau.title', roles: ['bureau_admin', 'bureau_staff', 'inspector'] },
  { path: '/support/outcomes', key: 'support.outcomes.title', roles: [...MANAGERS, 'inspector', 'head_teacher', 'counsellor'] },
];

/** Links to the role's other support screens (not the one shown). */
export function useSupportLinks() {
  const me = useCurrentUser();
  const { t } = useI18n();
  const { pathname } = useLocation();
  return SCREENS
    .filter((s) => (s.roles === 'teachers' ? me.teacherId != null : s.roles.includes(me.role)) && !pathname.startsWith(s.path))
    .map((s) => <Link key={s.path} to={s.path} data-testid={`support-link-${s.path.slice(9)}`}>{t(s.key)}</Link>);
}
