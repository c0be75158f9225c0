import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Accounts } from '../contracts/accounts.js';
import { AuditTrail } from '../contracts/audit.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import type { Role } from '../domain/roles.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, notFound } from '../common/errors.js';
import { EnvironmentError } from '../config/environment.js';
import type { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { toUserView, User, type UserView } from './user.entity.js';

const UNIQUE_FIELDS = { users_email_unique: 'email' };

/** The admin made on the first start (ADMIN_EMAIL, ADMIN_PASSWORD). */
export interface FirstAdmin {
  email: string;
  password?: string;
  /** Without a password: print a generated one once (embedded default) rather than refuse to start. */
  printGeneratedPassword?: boolean;
}

export const DEMO_ACCOUNTS: { email: string; role: Role }[] = [
  { email: 'analyst@demo.local', role: 'analyst' },
  { email: 'viewer@demo.local', role: 'viewer' },
];

@Injectable()
export class UsersService implements Accounts {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.dataSource.createQueryBuilder(User, 'user').orderBy('lower(user.email)').getMany();
    return users.map(toUserView);
  }

  /** The user with this email, whatever its case, with the password hash (for login only). */
  findForLogin(email: string): Promise<User | null> {
    return this.dataSource
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { id });
  }

  create(dto: CreateUserDto, actorId: string | null): Promise<UserView> {
    return this.dataSource.transaction((manager) => this.createWith(manager, dto, actorId));
  }

  async update(id: string, dto: UpdateUserDto, actorId: string | null): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lock(manager, id);
      const before = toUserView(user);
      const demotesOrDisables = (dto.role !== undefined && dto.role !== 'admin') || dto.disabled === true;
      if (user.role === 'admin' && !user.disabled && demotesOrDisables) await this.keepOneAdmin(manager, id);
      if (dto.role !== undefined) user.role = dto.role;
      // Disabling the account or a new password ends its sessions (a trigger of the users table).
      if (dto.disabled !== undefined) user.disabled = dto.disabled;
      const profileChanged = user.role !== before.role || user.disabled !== before.disabled;
      if (dto.password !== undefined) user.passwordHash = await hashPassword(dto.password);
      const saved = await manager.save(User, user);
      const after = toUserView(saved);
      if (profileChanged) await this.audit.record(manager, { actorId, action: 'update', entityType: 'user', entityId: id, before, after });
      if (dto.password !== undefined) {
        await this.audit.record(manager, {
          actorId,
          action: 'password_reset',
          entityType: 'user',
          entityId: id,
          before: null,
          after: null,
        });
      }
      return after;
    });
  }

  /** A user's own change: the caller has checked the current password. Ends every session of the user. */
  async changePassword(id: string, newPassword: string): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lock(manager, id);
      user.passwordHash = await hashPassword(newPassword);
      user.passwordChangeRequired = false;
      const saved = await manager.save(User, user);
      await this.audit.record(manager, {
        actorId: id,
        action: 'password_change',
        entityType: 'user',
        entityId: id,
        before: null,
        after: null,
      });
      return saved;
    });
  }

  async recordLogin(id: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
  }

  /**
   * First start: with no users at all, the admin, with ADMIN_PASSWORD or else a generated password that must be
   * changed at the first sign-in. A generated one is printed once where the log reaches only the person who started
   * the service (the embedded default); elsewhere the log goes to collectors, so the start stops instead.
   */
  async ensureFirstAdmin(admin: FirstAdmin): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // One instance at a time, so two starting together do not both create the first admin.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['users:first-admin']);
      const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM users');
      if (count > 0) return;
      if (admin.password) {
        await this.createWith(manager, { email: admin.email, password: admin.password, role: 'admin' }, null);
        this.logger.log(`first start: admin ${admin.email} created with ADMIN_PASSWORD`);
        return;
      }
      if (!admin.printGeneratedPassword) {
        throw new EnvironmentError(
          'Invalid environment:\n  ADMIN_PASSWORD: required on the first start with DATABASE_URL, while the database has no users ' +
            '(12 to 200 characters; a generated password would go to the log)',
        );
      }
      const password = generatePassword();
      await this.createWith(manager, { email: admin.email, password, role: 'admin' }, null, true);
      this.logger.warn(
        `first start: admin ${admin.email} created with the password ${password} (shown once; change it at the first sign-in)`,
      );
    });
  }

  /** The demo analyst and viewer, with generated passwords printed once; accounts that exist are left alone. */
  async createDemoAccounts(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const account of DEMO_ACCOUNTS) {
        const exists = await manager.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [account.email]);
        if (exists.length > 0) continue;
        const password = generatePassword();
        await this.createWith(manager, { ...account, password }, null, true);
        this.logger.warn(
          `demo ${account.role}: ${account.email} with the password ${password} (shown once; change it at the first sign-in)`,
        );
      }
    });
  }

  private async createWith(
    manager: EntityManager,
    dto: CreateUserDto,
    actorId: string | null,
    passwordChangeRequired = false,
  ): Promise<UserView> {
    const user = manager.create(User, {
      email: dto.email,
      passwordHash: await hashPassword(dto.password),
      role: dto.role,
      disabled: false,
      passwordChangeRequired,
      lastLoginAt: null,
    });
    const saved = await manager.save(user).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    const view = toUserView(saved);
    await this.audit.record(manager, { actorId, action: 'create', entityType: 'user', entityId: saved.id, before: null, after: view });
    return view;
  }

  private async lock(manager: EntityManager, id: string): Promise<User> {
    const locked = await manager.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [id]);
    if (locked.length === 0) throw notFound('user', id);
    const user = await manager.createQueryBuilder(User, 'user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
    if (!user) throw notFound('user', id);
    return user;
  }

  /** Refuses the change that would leave no enabled admin, so the ledger cannot lock its admins out. */
  private async keepOneAdmin(manager: EntityManager, id: string): Promise<void> {
    // Two admins demoting each other at once: the second waits here, then sees the first one's change.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['users:admins']);
    const others = await manager.query("SELECT id FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1", [id]);
    if (others.length === 0) {
      throw conflict('this is the last enabled admin: make another admin first', [
        { field: 'role', messages: ['the last enabled admin cannot be demoted or disabled'] },
      ]);
    }
  }
}
