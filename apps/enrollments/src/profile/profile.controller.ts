import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CurrentUser } from '@app/auth';
import { Cacheable, RateLimitedRead } from '@app/cache';
import { ApiErrors } from '@app/common';
import { Tags, User, UserNotFound, UsersRepository } from '@app/data';
import { UserResponse } from '../students/dto/student.response';

@ApiTags('auth')
@Controller('auth')
export class ProfileController {
  constructor(private readonly users: UsersRepository) {}

  @Get('me')
  @ApiOperation({ summary: "The caller's stored profile (any signed-in user)" })
  @ApiOkResponse({ type: UserResponse, description: 'the Users row' })
  @ApiErrors('USER_NOT_FOUND')
  @Cacheable({ name: 'profile', scope: 'user', tags: ({ user }) => [Tags.user(user!.sub)] })
  @RateLimitedRead()
  async me(@CurrentUser() user: AuthUser): Promise<User> {
    const row = await this.users.get(user.sub);
    if (!row) throw new UserNotFound(user.sub);
    return row;
  }
}
