import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { UserView } from '../contracts/users.js';
import { ROLES, type Role } from '../domain/roles.js';

export type { UserView } from '../contracts/users.js';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' })
  role: Role;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Set for a generated password (first admin, demo accounts): every route but the password change answers 403. */
  @Column({ name: 'password_change_required', type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;
}

/** A user as the API shows it: never the password hash. */
export function toUserView(user: User): UserView {
  const { id, email, role, disabled, version, createdAt, updatedAt, lastLoginAt } = user;
  return { id, email, role, disabled, version, createdAt, updatedAt, lastLoginAt };
}
