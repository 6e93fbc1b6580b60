import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, Roles } from '@app/auth';
import { ApiErrors } from '@app/common';
import { Cacheable, CacheEvict } from '@app/cache';
import { Tags, Term } from '@app/data';
import { PutTermDto, TermParams } from './dto/term.dto';
import { TermListResponse, TermResponse } from './dto/term.response';
import { TermsService } from './terms.service';

@ApiTags('terms')
@Controller('terms')
export class TermsController {
  constructor(private readonly terms: TermsService) {}

  @Get()
  @ApiOperation({ summary: 'Every term, in term order' })
  @ApiOkResponse({ type: TermListResponse, description: 'every term' })
  @Public()
  @Cacheable({ name: 'terms', scope: 'public', tags: () => [Tags.terms()] })
  list(): Promise<{ items: Term[] }> {
    return this.terms.list();
  }

  @Get(':term_id')
  @ApiOperation({ summary: "One term's registration calendar" })
  @ApiOkResponse({ type: TermResponse, description: 'the term' })
  @ApiErrors('TERM_NOT_FOUND')
  @Public()
  @Cacheable({
    name: 'term',
    scope: 'public',
    tags: ({ params }) => [Tags.term(params.term_id)],
  })
  get(@Param() p: TermParams): Promise<Term> {
    return this.terms.get(p.term_id);
  }

  /** 201 when the term is new, 200 when it replaced one. */
  @Put(':term_id')
  @ApiOperation({ summary: "Create or replace a term's registration calendar (admins)" })
  @ApiCreatedResponse({ type: TermResponse, description: 'the new term' })
  @ApiOkResponse({ type: TermResponse, description: 'the term, replaced' })
  @Roles('admin')
  @CacheEvict({ tags: ({ params }) => [Tags.term(params.term_id), Tags.terms()] })
  async put(
    @Param() p: TermParams,
    @Body() dto: PutTermDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Term> {
    const { term, created } = await this.terms.put(p.term_id, dto);
    res.status(created ? 201 : 200);
    return term;
  }
}
