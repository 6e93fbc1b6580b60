import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsString, Matches } from 'class-validator';
import { IsOmittable } from '@app/common';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** A cart: sections to add and to drop (at most 10 of each, checked as CART_TOO_LARGE). */
export class CartDto {
  @ApiProperty({ type: [String], required: false, example: ['CS201-2026-FALL'], maxItems: 10 })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'each of $property must be a course id' })
  add: string[] = [];

  @ApiProperty({ type: [String], required: false, example: ['CS101-2026-FALL'], maxItems: 10 })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'each of $property must be a course id' })
  drop: string[] = [];
}
