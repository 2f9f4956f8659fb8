import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CustomersService, type Principal } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorator';
import {
  CreateCustomerDto,
  CustomerDto,
  CustomerPageDto,
  ListCustomersQueryDto,
} from '../dto/customer.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';
import { PAGE_SIZE_DEFAULT } from '../dto/page-query.dto';

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(@Inject(CustomersService) private readonly customers: CustomersService) {}

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: CustomerDto })
  @ApiErrors(400, 403, 409, 413, 415)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateCustomerDto,
  ): Promise<CustomerDto> {
    return this.customers.create(principal, body.id as CustomerId, body.name);
  }

  @Get()
  @AdminOnly()
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiErrors(400, 403)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCustomersQueryDto,
  ): Promise<CustomerPageDto> {
    return this.customers.list(principal, query.after, query.limit ?? PAGE_SIZE_DEFAULT);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiErrors(400, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<CustomerDto> {
    return this.customers.get(principal, id);
  }

  /** Deprovisioning is asynchronous: the row goes once the provisioner has removed everything. */
  @Delete(':id')
  @AdminOnly()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CustomerDto, description: 'Deletion requested' })
  @ApiErrors(400, 403, 404)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<CustomerDto> {
    return this.customers.requestDeletion(principal, id);
  }
}
