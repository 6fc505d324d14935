// The module table: one entry per module gives its menu item, who sees it and its pages.
// A later module (帮扶对象, 考试分析, 精准资助 …) is one more entry here, nothing else.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AuditOutlined, BankOutlined, BarChartOutlined, CloudUploadOutlined, DashboardOutlined, HeartOutlined, IdcardOutlined, TeamOutlined, UserSwitchOutlined,
} from '@ant-design/icons';
import { ACCOUNT_ADMIN_ROLES, AUDIT_READER_ROLES, IMPORT_ROLES, type Role } from '@shared/roles';
import type { MessageKey } from './i18n';

export interface AppModule {
  key: string;
  labelKey: MessageKey;
  icon: ReactNode;
  /** where the menu item goes; also the prefix that marks the item as current */
  path: string;
  /** absent: everyone signed in */
  roles?: readonly Role[];
  pages: { path: string; page: LazyExoticComponent<ComponentType> }[];
}

export const MODULES: AppModule[] = [
  {
    key: 'dashboard', labelKey: 'nav.dashboard', icon: <DashboardOutlined />, path: '/',
    pages: [{ path: '/', page: lazy(() => import('./pages/dashboard/DashboardPage')) }],
  },
  {
    key: 'schools', labelKey: 'nav.schools', icon: <BankOutlined />, path: '/schools',
    pages: [
      { path: '/schools', page: lazy(() => import('./pages/schools/SchoolListPage')) },
      { path: '/schools/:id', page: lazy(() => import('./pages/schools/SchoolDetailPage')) },
    ],
  },
  {
    key: 'teachers', labelKey: 'nav.teachers', icon: <TeamOutlined />, path: '/teachers',
    pages: [
      { path: '/teachers', page: lazy(() => import('./pages/teachers/TeacherListPage')) },
      { path: '/teachers/:id', page: lazy(() => import('./pages/teachers/TeacherDetailPage')) },
    ],
  },
  {
    key: 'students', labelKey: 'nav.students', icon: <IdcardOutlined />, path: '/students',
    pages: [
      { path: '/students', page: lazy(() => import('./pages/students/StudentListPage')) },
      { path: '/students/:id', page: lazy(() => import('./pages/students/StudentDetailPage')) },
    ],
  },
  {
    key: 'exams', labelKey: 'nav.exams', icon: <BarChartOutlined />, path: '/exams',
    pages: [
      { path: '/exams', page: lazy(() => import('./pages/exams/ExamListPage')) },
      { path: '/exams/settings', page: lazy(() => import('./pages/exams/ExamSettingsPage')) },
      { path: '/exams/:id', page: lazy(() => import('./pages/exams/ExamOverviewPage')) },
      { path: '/exams/:id/awards', page: lazy(() => import('./pages/exams/ExamAwardsPage')) },
      { path: '/exams/:id/schools/:code', page: lazy(() => import('./pages/exams/ExamSchoolPage')) },
      { path: '/exams/:id/classes/:classId', page: lazy(() => import('./pages/exams/ExamClassPage')) },
    ],
  },
  {
    key: 'support', labelKey: 'nav.support', icon: <HeartOutlined />, path: '/support',
    pages: [
      { path: '/support', page: lazy(() => import('./pages/support/MyStudentsPage')) },
      { path: '/support/mine', page: lazy(() => import('./pages/support/MyStudentsPage')) },
      { path: '/support/record', page: lazy(() => import('./pages/support/RecordPage')) },
      { path: '/support/cases/:id', page: lazy(() => import('./pages/support/CasePage')) },
      { path: '/support/school', page: lazy(() => import('./pages/support/SchoolSupportPage')) },
      { path: '/support/bureau', page: lazy(() => import('./pages/support/BureauSupportPage')) },
      { path: '/support/outcomes', page: lazy(() => import('./pages/support/OutcomesPage')) },
      { path: '/support/assignment', page: lazy(() => import('./pages/support/AssignmentPage')) },
      { path: '/support/refresh', page: lazy(() => import('./pages/support/RefreshPage')) },
      { path: '/support/class', page: lazy(() => import('./pages/support/ClassSupportPage')) },
      { path: '/support/class/:classId', page: lazy(() => import('./pages/support/ClassSupportPage')) },
    ],
  },
  {
    key: 'imports', labelKey: 'nav.imports', icon: <CloudUploadOutlined />, path: '/imports', roles: IMPORT_ROLES,
    pages: [{ path: '/imports', page: lazy(() => import('./pages/imports/ImportPage')) }],
  },
  {
    key: 'accounts', labelKey: 'nav.accounts', icon: <UserSwitchOutlined />, path: '/accounts', roles: ACCOUNT_ADMIN_ROLES,
    pages: [{ path: '/accounts', page: lazy(() => import('./pages/accounts/AccountsPage')) }],
  },
  {
    key: 'audit', labelKey: 'nav.audit', icon: <AuditOutlined />, path: '/audit', roles: AUDIT_READER_ROLES,
    pages: [{ path: '/audit', page: lazy(() => import('./pages/audit/AuditPage')) }],
  },
];

/** The module a location belongs to (detail pages light up their list's menu item). */
export function moduleOf(pathname: string): AppModule | undefined {
  return MODULES.filter((m) => (m.path === '/' ? pathname === '/' : pathname === m.path || pathname.startsWith(m.path + '/')))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

export const PUBLIC_PAGES = {
  setup: lazy(() => import('./pages/setup/FirstRunPage')),
  login: lazy(() => import('./pages/auth/LoginPage')),
  changePassword: lazy(() => import('./pages/auth/ChangePasswordPage')),
};
