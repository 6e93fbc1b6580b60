import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@app/auth';
import { CacheEvict } from '@app/cache';
import { ApiErrors, EmptyUpdate } from '@app/common';
import { HoldNotFound, StoredHold, Tags, User, UsersRepository } from '@app/data';
import { HoldDto, HoldParams, RegistrarFieldsDto, UserParams } from './dto/student.dto';
import { HoldResponse, UserResponse } from './dto/student.response';

/** The registrar's record of a student (DESIGN §8): admins only. Every change drops the cached profile. */
@ApiTags('students')
@Controller('users/:user_id')
@Roles('admin')
export class StudentsController {
  constructor(private readonly users: UsersRepository) {}

  /** Creates the record when the student has none yet (they are known to the identity provider). */
  @Patch()
  @ApiOperation({ summary: "Set fields of a student's registrar record, creating it (admins)" })
  @ApiOkResponse({ type: UserResponse, description: 'the record' })
  @ApiErrors('EMPTY_UPDATE')
  @CacheEvict({ tags: ({ params }) => [Tags.user(params.user_id)] })
  update(@Param() p: UserParams, @Body() dto: RegistrarFieldsDto): Promise<User> {
    if (Object.values(dto).every((v) => v === undefined))
      throw new EmptyUpdate(['priority_group', 'max_credits', 'completed_courses']);
    return this.users.setRegistrarFields(p.user_id, { ...dto });
  }

  @Post('holds')
  @ApiOperation({ summary: 'Put a hold on a student (admins)' })
  @ApiCreatedResponse({ type: HoldResponse, description: 'the hold' })
  @ApiErrors('USER_NOT_FOUND')
  @CacheEvict({ tags: ({ params }) => [Tags.user(params.user_id)] })
  addHold(@Param() p: UserParams, @Body() dto: HoldDto): Promise<StoredHold> {
    return this.users.addHold(p.user_id, { code: dto.code, reason: dto.reason });
  }

  @Delete('holds/:hold_id')
  @ApiOperation({ summary: "Lift a student's hold (admins)" })
  @ApiNoContentResponse({ description: 'lifted' })
  @ApiErrors('HOLD_NOT_FOUND')
  @HttpCode(204)
  @CacheEvict({ tags: ({ params }) => [Tags.user(params.user_id)] })
  async removeHold(@Param() p: HoldParams): Promise<void> {
    if (!(await this.users.removeHold(p.user_id, p.hold_id))) throw new HoldNotFound(p.hold_id);
  }
}
